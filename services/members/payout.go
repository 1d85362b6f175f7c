package members

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/till-pos/till/internal/csvfile"
	"github.com/till-pos/till/models"
)

// PayOut pays mem's whole balance out in cash from the drawer of the
// terminal's open shift, for by (who needs models.PermMemberPayout,
// checked by the store); the caller prints the slip and opens the drawer.
func (m *Members) PayOut(ctx context.Context, mem models.Member, by models.Operator) (models.MemberPayout, error) {
	return m.store.PayOutMember(ctx, mem.ID, by, m.session.TerminalID(), time.Time{})
}

// Report is the members' balances over [from, to), for by (who needs
// models.PermReports).
func (m *Members) Report(ctx context.Context, by models.Operator, from, to time.Time) (models.MemberReport, error) {
	if err := m.store.Allowed(ctx, by, models.PermReports); err != nil {
		return models.MemberReport{}, err
	}
	return m.store.MemberReport(ctx, from, to)
}

// ReportFileName is the name of the members' report's CSV file for
// [from, to): till-members-20261201-20261202.csv.
func ReportFileName(from, to time.Time) string {
	return fmt.Sprintf("till-members-%s-%s.csv", from.Format("20060102"), to.Add(-time.Second).Format("20060102"))
}

// ExportReport writes rep as a CSV file into the folder dir, for by (who
// needs models.PermReports), a row per member and a last row of totals;
// it returns the file's path. A file already there of the same name is
// replaced whole, never half-written.
func (m *Members) ExportReport(ctx context.Context, dir string, rep models.MemberReport, by models.Operator) (string, error) {
	if err := m.store.Allowed(ctx, by, models.PermReports); err != nil {
		return "", err
	}
	path := filepath.Join(dir, ReportFileName(rep.From, rep.To))
	yuan := models.FormatMinor
	row := func(id, name, phone string, r models.MemberReportRow) []string {
		return []string{id, models.CSVText(name), models.CSVText(phone), yuan(r.Opening), yuan(r.TopUps), yuan(r.Spent),
			yuan(r.PaidOut), yuan(r.Other), yuan(r.Closing)}
	}
	err := csvfile.Write(path, []string{"member", "name", "phone", "opening", "top_ups", "spent", "paid_out", "other", "closing"},
		func(w *csv.Writer) error {
			for _, r := range rep.Rows {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := w.Write(row(strconv.FormatUint(uint64(r.MemberID), 10), r.Name, r.Phone, r)); err != nil {
					return err
				}
			}
			return w.Write(row("total", "", "", rep.Total))
		})
	var open *csvfile.OpenError
	switch {
	case err == nil:
		return path, nil
	case errors.As(err, &open):
		return "", &models.Error{Code: models.EINVALID, Key: "error.members.report_file",
			Fallback: "{{.Path}} cannot be written: choose another folder", Args: map[string]any{"Path": path}, Err: open.Err}
	}
	return "", fmt.Errorf("members: write %s: %w", filepath.Base(path), err)
}
