// Package widgets holds Till's shared touch widgets: the numeric keypad, the
// product tile and paging buttons for lists that a finger cannot drag.
package widgets
