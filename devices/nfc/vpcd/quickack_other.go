//go:build !linux

package vpcd

import "net"

// quickACK is a no-op where TCP_QUICKACK does not exist.
func quickACK(net.Conn) {}
