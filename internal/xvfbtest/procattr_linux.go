//go:build linux

package xvfbtest

import (
	"os/exec"
	"syscall"
)

// setServerAttr makes the kernel kill Xvfb if the test process dies without
// running its cleanups (a -timeout panic, a SIGKILL).
func setServerAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// setProgramAttr puts a program in a process group of its own, so that Stop
// also ends the helpers it started, and has it killed with the test process.
func setProgramAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}

// killProgram kills a program started with setProgramAttr and its group.
func killProgram(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Process.Kill()
}

// processAlive reports whether a process with this id exists.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
