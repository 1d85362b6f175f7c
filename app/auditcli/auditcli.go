// Package auditcli is `till audit`: it checks a database's audit trail
// from the command line, for an owner or an auditor, without the window.
package auditcli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/till-pos/till/models"
)

// Run runs `till audit` with args (after "audit") and returns the exit
// code: 0 when the chain holds, 1 when it is broken, 2 when it could not
// be checked.
func Run(args []string, out io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(out, "usage: till audit verify -db PATH")
		return 2
	}
	fs := flag.NewFlagSet("till audit verify", flag.ContinueOnError)
	fs.SetOutput(out)
	db := fs.String("db", "", "the database `path` whose audit trail to check")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *db == "" {
		fmt.Fprintln(out, "till audit verify: -db PATH is needed")
		return 2
	}
	if _, err := os.Stat(*db); err != nil {
		fmt.Fprintf(out, "till audit verify: %v\n", err)
		return 2
	}
	s, err := models.Open(*db)
	if err != nil {
		fmt.Fprintf(out, "till audit verify: %v\n", err)
		return 2
	}
	defer s.Close()
	c, err := s.VerifyAudit(context.Background(), nil)
	if err != nil {
		fmt.Fprintf(out, "till audit verify: %v\n", err)
		return 2
	}
	if c.Break != nil {
		fmt.Fprintf(out, "audit trail BROKEN after %d good entries: %v\n", c.Entries, c.Break)
		return 1
	}
	head := c.Hash
	if len(head) > 16 {
		head = head[:16]
	}
	fmt.Fprintf(out, "audit trail intact: %d entries, head no. %d %s\n", c.Entries, c.Head, head)
	return 0
}
