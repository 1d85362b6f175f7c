package models

import "sort"

// TenderTotal is the count and sum of payments of one tender.
type TenderTotal struct {
	Tender Tender
	Count  int
	Amount int64 // minor units, net of change
}

// TotalsByTender sums the approved payments of paid orders by tender, net
// of refunds (negative payments), in a fixed order: cash, card, QR code,
// fingerprint, then any other. Voided and unpaid orders take nothing.
func TotalsByTender(orders []Order) []TenderTotal {
	by := map[Tender]*TenderTotal{}
	for _, o := range orders {
		if o.Status != OrderPaid && o.Status != OrderRefunded {
			continue
		}
		for _, p := range o.Payments {
			if !p.Status.Taken() {
				continue
			}
			t := by[p.Tender]
			if t == nil {
				t = &TenderTotal{Tender: p.Tender}
				by[p.Tender] = t
			}
			if p.Amount > 0 {
				t.Count++
			}
			t.Amount += p.Amount
		}
	}
	rank := map[Tender]int{TenderCash: 0, TenderCard: 1, TenderQR: 2, TenderFingerprint: 3}
	out := make([]TenderTotal, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, oki := rank[out[i].Tender]
		rj, okj := rank[out[j].Tender]
		if !oki {
			ri = len(rank)
		}
		if !okj {
			rj = len(rank)
		}
		if ri != rj {
			return ri < rj
		}
		return out[i].Tender < out[j].Tender
	})
	return out
}
