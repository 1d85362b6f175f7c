package app

import (
	"context"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
)

// training is the till in training mode: the shop's store, kept open for
// the audit of the end and to come back to, while the till runs on the
// training database (models.TrainingPath), made afresh from it.
type training struct {
	shop     *models.Store
	shopPath string
	// cart is the order in the cart when training started, given back
	// when it ends.
	cart *models.Order
}

// errTrainingNotHere: the demo is practice already, and training does not
// start inside training.
var errTrainingNotHere = &models.Error{Code: models.EINVALID, Key: "error.training.not_here",
	Fallback: "Training starts from a shop's till, outside training and the demo"}

// InTraining reports whether the till is in training mode.
func (t *Till) InTraining() bool { return t.training != nil }

// StartTraining puts the till in training mode for by (allowed by the
// shop's matrix, as the store checks and audits): the training database
// is made afresh from the shop's, every service is started again on it
// with the in-process simulated acquirer and the demo cards (never the
// shop's acquirer), and the sell screen shows under the training banner,
// with whoever was signed in still signed in.
func (t *Till) StartTraining(by models.Operator) error {
	if t.opts.Demo || t.training != nil {
		return errTrainingNotHere
	}
	ctx := context.Background()
	tid := t.ui.Shop.TerminalID
	tr, err := t.store.StartTraining(ctx, by, tid, models.TrainingPath(t.path))
	if err != nil {
		return err
	}
	if err := demo.PrepareTraining(ctx, tr, tid); err != nil {
		tr.Close()
		if endErr := t.store.EndTraining(ctx, by, tid); endErr != nil {
			logError("app: training did not start", endErr)
		}
		return err
	}
	state := &training{shop: t.store, shopPath: t.path}
	if t.shell != nil {
		state.cart = t.shell.Sell.Order()
	}
	who := t.session.Operator()
	t.stopServices()
	t.training, t.store, t.path = state, tr, tr.Path()
	err = t.restart(ctx, who, nil)
	if err != nil {
		// Back to the shop's database, the end audited: the till is
		// never left half in training.
		t.stopServices()
		t.store.Close()
		t.training, t.store, t.path = nil, state.shop, state.shopPath
		if endErr := t.store.EndTraining(ctx, by, tid); endErr != nil {
			logError("app: training did not start", endErr)
		}
		if backErr := t.restart(ctx, who, state.cart); backErr != nil {
			logError("app: back from training that did not start", backErr)
		}
	}
	return err
}

// EndTraining leaves training mode for by (allowed by the shop's matrix,
// audited in the shop's trail): the training database is closed, the
// services start again on the shop's, and the sell screen shows with the
// cart as it was when training started.
func (t *Till) EndTraining(by models.Operator) error {
	if t.training == nil {
		return nil
	}
	ctx := context.Background()
	if err := t.training.shop.EndTraining(ctx, by, t.ui.Shop.TerminalID); err != nil {
		return err
	}
	who := t.session.Operator()
	state := t.training
	t.stopServices()
	if err := t.store.Close(); err != nil {
		logError("app: close the training database", err)
	}
	t.training, t.store, t.path = nil, state.shop, state.shopPath
	return t.restart(ctx, who, state.cart)
}

// restart starts the till again on t.store, with who signed in if they
// are on its staff (else the sign-in screen) and cart in the cart.
func (t *Till) restart(ctx context.Context, who models.Operator, cart *models.Order) error {
	t.shell, t.login = nil, nil
	t.resume = models.Operator{}
	if who.ID != 0 {
		if op, err := t.store.OperatorByID(ctx, who.ID); err == nil && op.Active {
			t.resume = op
		}
	}
	if err := t.begin(ctx); err != nil {
		return err
	}
	if t.shell != nil && cart != nil && !cart.IsEmpty() {
		t.shell.Sell.SetOrder(cart)
	}
	return nil
}

// endTrainingOnClose records the end of training in the shop's trail when
// the till closes in training mode (it starts on the shop's database next
// time), and closes the shop's store.
func (t *Till) endTrainingOnClose() {
	if t.training == nil {
		return
	}
	if t.session != nil {
		if err := t.training.shop.EndTraining(context.Background(), t.session.Operator(), t.ui.Shop.TerminalID); err != nil {
			logError("app: audit the end of training", err)
		}
	}
	if err := t.training.shop.Close(); err != nil {
		logError("app: close the shop's database", err)
	}
	t.training = nil
}
