package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// PermissionsAdmin is the shop's matrix of who may do what; *staff.Staff
// is one.
type PermissionsAdmin interface {
	Permissions(ctx context.Context) (models.Permissions, error)
	SetPermissions(ctx context.Context, m models.Permissions, by models.Operator) error
}

// permissionsSection is the matrix: a row per permission, a column per
// role but the owner's (an owner may do everything). Only an owner changes
// it; each tick is stored at once.
func (s *Settings) permissionsSection() fyne.CanvasObject {
	p := s.deps.Permissions
	m, err := p.Permissions(context.Background())
	if err != nil {
		return widget.NewLabel(Message(err))
	}
	owner := s.ui.Operator().Role == models.RoleOwner
	roles := []models.Role{models.RoleManager, models.RoleCashier, models.RoleWaiter}
	cell := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewStack(strut(110, 52), o) }
	head := []fyne.CanvasObject{widget.NewLabel("")}
	for _, r := range roles {
		head = append(head, cell(widget.NewLabelWithStyle(roleName(r), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})))
	}
	rows := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(head[1:]...), head[0]))
	for _, perm := range models.AllPermissions {
		var checks []fyne.CanvasObject
		for _, r := range roles {
			c := widget.NewCheck("", nil)
			c.SetChecked(m[r][perm])
			c.OnChanged = func(on bool) {
				s.ui.Touch()
				next, err := p.Permissions(context.Background())
				if err == nil {
					if next[r] == nil {
						next[r] = map[models.Permission]bool{}
					}
					next[r][perm] = on
					err = p.SetPermissions(context.Background(), next, s.ui.Operator())
				}
				if err != nil {
					ShowError(s.ui.Window, err)
				}
			}
			if !owner {
				c.Disable()
			}
			checks = append(checks, cell(container.NewCenter(c)))
		}
		label := widget.NewLabel(permissionName(perm))
		label.Wrapping = fyne.TextWrapWord
		rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(checks...), label))
	}
	if !owner {
		note := widget.NewLabel(lang.X("settings.permissions_owner", "Only an owner changes who may do what."))
		note.Importance = widget.LowImportance
		rows.Add(note)
	}
	return rows
}
