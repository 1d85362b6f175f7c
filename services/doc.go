// Package services is the middle of Till, between the screens and the store:
// one sub-package per concern, each built by app from explicit dependencies
// (the store, the session, a clock, the device it drives) and never from the
// whole terminal. The rules they apply are models' and payments'; the
// services decide in which order things happen and who may do them.
package services
