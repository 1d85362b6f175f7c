// Package winetest runs the Windows build of Till (till.exe, as packaged by
// `make package-windows`) under Wine in an Xvfb server: the version flag,
// a test slip through `till.exe diag printer` into a file, and the demo's
// first window, its layout read from the program's progress lines and the
// screen captured. Its tests are behind the wine build tag and take the
// executable from TILL_WINDOWS_EXE (`make test-windows` sets both).
//
// Debian 12's Wine (8.0) has no bcryptprimitives.dll, whose ProcessPrng
// the Go runtime (1.22 and later) loads at start on Windows; the tests put
// a small one into their own Wine prefix, built from source with MinGW,
// that fills the buffer through advapi32's RtlGenRandom (SystemFunction036),
// which Wine has. Wine 9 and Windows itself bring their own.
package winetest
