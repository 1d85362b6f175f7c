//go:build !linux

package xvfbtest

import "os/exec"

func setServerAttr(cmd *exec.Cmd)  {}
func setProgramAttr(cmd *exec.Cmd) {}
func killProgram(cmd *exec.Cmd)    { cmd.Process.Kill() }

// processAlive cannot tell here, so a lock file always counts as live.
func processAlive(pid int) bool { return true }
