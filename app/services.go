package app

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/till-pos/till/models"
)

// sales adapts the store to the screens, for one terminal and operator.
type sales struct {
	store      *models.Store
	terminalID string
	operator   models.Operator
	// link reaches the acquirer; nil when none is configured.
	link func(ctx context.Context) (*syncLink, error)
	// discountLimit is the cashier discount limit in basis points, as stored.
	discountLimit atomic.Int64
}

func (s *sales) CommitSale(ctx context.Context, o *models.Order, pays []models.Payment) error {
	return s.store.CommitSale(ctx, o, pays, models.SaleContext{TerminalID: s.terminalID, Operator: s.operator})
}

func (s *sales) HoldOrder(ctx context.Context, o *models.Order, label string) error {
	_, err := s.store.HoldOrder(ctx, o, s.terminalID, s.operator, label)
	return err
}

func (s *sales) HeldOrders(ctx context.Context) ([]models.HeldOrder, error) {
	return s.store.HeldOrders(ctx, s.terminalID)
}

func (s *sales) RecallOrder(ctx context.Context, id uint) (*models.Order, error) {
	return s.store.RecallOrder(ctx, id, s.operator)
}

func (s *sales) OrdersBetween(ctx context.Context, from, to time.Time) ([]models.Order, error) {
	return s.store.OrdersBetween(ctx, s.terminalID, from, to)
}

func (s *sales) OrderByID(ctx context.Context, id uint) (*models.Order, error) {
	return s.store.OrderByID(ctx, id)
}

func (s *sales) OrderHistory(ctx context.Context, o *models.Order) ([]models.HistoryEvent, error) {
	return s.store.OrderHistory(ctx, o)
}

// catalog serves the screens from the in-memory index, which is swapped in
// whole once it has loaded (and again when the catalog changes).
type catalog struct {
	idx  atomic.Pointer[models.CatalogIndex]
	cats atomic.Pointer[[]models.Category]
}

func (c *catalog) set(idx *models.CatalogIndex, cats []models.Category) {
	c.idx.Store(idx)
	c.cats.Store(&cats)
}

func (c *catalog) Categories() []models.Category {
	if p := c.cats.Load(); p != nil {
		return *p
	}
	return nil
}

func (c *catalog) InCategory(id uint) models.CatalogList {
	if idx := c.idx.Load(); idx != nil {
		return idx.InCategory(id)
	}
	return models.CatalogList{}
}

func (c *catalog) All() models.CatalogList {
	if idx := c.idx.Load(); idx != nil {
		return idx.All()
	}
	return models.CatalogList{}
}

func (c *catalog) Search(q string, limit int) models.CatalogList {
	if idx := c.idx.Load(); idx != nil {
		return idx.Search(q, limit)
	}
	return models.CatalogList{}
}

func (c *catalog) Lookup(code string) (models.CatalogItem, bool) {
	if idx := c.idx.Load(); idx != nil {
		return idx.Lookup(code)
	}
	return models.CatalogItem{}, false
}
