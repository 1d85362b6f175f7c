package app

import (
	"context"
	"fmt"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/resources"
)

// demoOperator is logged in automatically in demo mode; code 1001 signs it in again.
var demoOperator = models.Operator{Code: "1001", Name: "演示收银员", Role: models.RoleCashier, Active: true}

// demoManager authorizes voids and refunds in demo mode with code 8888.
var demoManager = models.Operator{Code: "8888", Name: "演示店长", Role: models.RoleManager, Active: true}

// seedDemo imports the demo catalog into an empty database and makes sure the
// demo operator and manager exist.
func seedDemo(ctx context.Context, store *models.Store) (models.Operator, error) {
	n, err := store.ProductCount(ctx)
	if err != nil {
		return models.Operator{}, err
	}
	if n == 0 {
		cats, prods, err := models.ParseCatalogFile(resources.DemoCatalog, models.CNY)
		if err != nil {
			return models.Operator{}, fmt.Errorf("app: demo catalog: %w", err)
		}
		if err := store.ImportCatalog(ctx, cats, prods); err != nil {
			return models.Operator{}, err
		}
	}
	if v, _ := store.Setting(ctx, models.SettingStoreName, ""); v == "" {
		if err := store.SetSetting(ctx, models.SettingStoreName, "收银台示范店"); err != nil {
			return models.Operator{}, err
		}
	}
	if _, err := store.EnsureOperator(ctx, demoManager); err != nil {
		return models.Operator{}, err
	}
	return store.EnsureOperator(ctx, demoOperator)
}
