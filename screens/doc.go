// Package screens is Till's touch UI: one file per screen, built from the
// widgets in screens/widgets. Screens hold no SQL and no business rules: they
// call models for arithmetic and receive everything else from app through
// the interfaces in ui.go.
package screens
