// Package app is Till's composition root: it reads the options, opens the
// store, builds the services in the order they need each other (choosing
// real or simulated devices), gives each screen its small interface, and
// runs the window, sign-in and the auto-lock. No rule lives here. It is the
// only package that knows every other one; its diag sub-package is `till
// diag`.
package app
