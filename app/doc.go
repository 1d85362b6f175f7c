// Package app is Till's composition root: it reads the configuration, opens
// the store, seeds the demo catalog, loads the catalog index, chooses the
// language and theme, and puts the screens in a window. It is the only
// package that knows every other one.
package app
