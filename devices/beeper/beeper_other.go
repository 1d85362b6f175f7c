//go:build !windows && (!unix || android)

package beeper

// beep has no way to sound on this platform.
func beep() error { return ErrNoSound }
