//go:build !linux

package app

// ensureRuntimeDir: only Linux desktops have an XDG runtime folder.
func ensureRuntimeDir() {}
