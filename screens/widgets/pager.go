package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Scrollable is a list or grid that can report and set its scroll offset.
type Scrollable interface {
	fyne.CanvasObject
	GetScrollOffset() float32
	ScrollToOffset(float32)
}

// PageSize is the size of a paging button.
var PageSize = fyne.NewSize(56, 56)

// NewPager returns a column of large "page up" and "page down" buttons for s:
// desktop drivers give a touchscreen no drag-to-scroll, so fingers need these.
func NewPager(s Scrollable) fyne.CanvasObject {
	page := func(dir float32) func() {
		return func() {
			step := s.Size().Height * 0.8
			off := s.GetScrollOffset() + dir*step
			if off < 0 {
				off = 0
			}
			s.ScrollToOffset(off)
		}
	}
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), page(-1))
	down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), page(1))
	return container.NewVBox(container.NewGridWrap(PageSize, up), container.NewGridWrap(PageSize, down))
}
