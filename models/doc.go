// Package models holds Till's domain types and their rules — money, products,
// orders and their arithmetic, payments, operators — and the Store that keeps
// them in SQLite. It is the only package that imports gorm, and it imports
// nothing else of Till's.
package models
