// Package backupcli is `till backup` and `till restore`: an encrypted
// backup of a database to a folder (a USB stick's), and its restore, from
// the command line.
package backupcli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/backup"
)

// PassphraseEnv names the environment variable a passphrase may come
// from; otherwise it is read from the first line of standard input.
const PassphraseEnv = "TILL_BACKUP_PASSPHRASE"

// Run runs `till backup` (restore false) or `till restore` with args and
// returns the exit code: 0 done, 1 refused or failed, 2 misused.
func Run(restore bool, args []string, in io.Reader, out io.Writer) int {
	name := "till backup"
	if restore {
		name = "till restore"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	db := fs.String("db", "", "the database `path`")
	to := fs.String("to", "", "the `folder` the backup goes to (backup)")
	from := fs.String("from", "", "the backup `file` to restore (restore)")
	force := fs.Bool("force", false, "restore another terminal's backup over this database (restore)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" || (!restore && *to == "") || (restore && *from == "") {
		if restore {
			fmt.Fprintln(out, "usage: till restore -db PATH -from FILE [-force]   (Till must not be running on PATH)")
		} else {
			fmt.Fprintln(out, "usage: till backup -db PATH -to FOLDER")
		}
		return 2
	}
	pass, err := passphrase(in)
	if err != nil {
		fmt.Fprintf(out, "%s: %v\n", name, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	progress := func(step string, done, total int64) {
		if total > 0 && done == total {
			fmt.Fprintf(out, "%s: %s done (%d bytes)\n", name, step, total)
		}
	}
	if restore {
		return runRestore(ctx, *db, *from, pass, *force, progress, out)
	}
	return runBackup(ctx, *db, *to, pass, progress, out)
}

func runBackup(ctx context.Context, db, dir, pass string, progress backup.Progress, out io.Writer) int {
	if _, err := os.Stat(db); err != nil {
		fmt.Fprintf(out, "till backup: %v\n", err)
		return 1
	}
	s, err := models.Open(db)
	if err != nil {
		fmt.Fprintf(out, "till backup: %v\n", err)
		return 1
	}
	defer s.Close()
	tid, _ := s.Setting(ctx, models.SettingTerminalID, models.DefaultTerminalID)
	shop, _ := s.Setting(ctx, models.SettingStoreName, "")
	path, err := backup.Backup(ctx, s, backup.Options{Dir: dir, Passphrase: pass, Terminal: tid, Shop: shop, Progress: progress})
	if err != nil {
		fmt.Fprintf(out, "till backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(out, "till backup: %s, checked; keep the passphrase and the device keys apart from it\n", path)
	return 0
}

func runRestore(ctx context.Context, db, file, pass string, force bool, progress backup.Progress, out io.Writer) int {
	here := ""
	if _, err := os.Stat(db); err == nil {
		s, err := models.Open(db)
		if err != nil && !force {
			fmt.Fprintf(out, "till restore: %v (use -force to replace it all the same)\n", err)
			return 1
		}
		if err == nil {
			here, _ = s.Setting(ctx, models.SettingTerminalID, models.DefaultTerminalID)
			s.Close()
		}
	}
	kept, err := backup.Restore(ctx, file, pass, db, here, force, progress)
	var me *models.Error
	if errors.As(err, &me) && me.Key == "error.backup.terminal" {
		fmt.Fprintf(out, "till restore: %v (-force restores it all the same)\n", err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(out, "till restore: %v\n", err)
		return 1
	}
	if kept != "" {
		fmt.Fprintf(out, "till restore: restored %s; the database it replaced is kept as %s\n", db, kept)
	} else {
		fmt.Fprintf(out, "till restore: restored %s\n", db)
	}
	return 0
}

// passphrase is the backup passphrase from the environment, else the
// first line of in.
func passphrase(in io.Reader) (string, error) {
	if p := os.Getenv(PassphraseEnv); p != "" {
		return p, nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("no passphrase: set %s or type it on standard input", PassphraseEnv)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
