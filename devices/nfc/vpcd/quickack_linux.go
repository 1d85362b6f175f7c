package vpcd

import (
	"net"
	"syscall"
)

// quickACK asks the kernel to acknowledge received data at once instead of
// delaying the ACK. The driver of Debian's vsmartcard-vpcd 3.3 sends a
// frame's length and payload in two writes on a socket with Nagle's
// algorithm on, so the payload waits for the ACK of the length: with delayed
// ACKs every exchange took about 40 ms. Linux clears the flag again after a
// while, so it is set before every read.
func quickACK(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	_ = raw.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}
