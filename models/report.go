package models

import "sort"

// TenderTotal is the count and sum of payments of one tender.
type TenderTotal struct {
	Tender Tender
	Count  int
	Amount int64 // minor units, net of change
}

// sortTenders orders totals as reports show them: cash, card, QR code,
// fingerprint, then any other by name.
func sortTenders(out []TenderTotal) {
	rank := map[Tender]int{TenderCash: 0, TenderCard: 1, TenderQR: 2, TenderFingerprint: 3}
	at := func(t Tender) int {
		if r, ok := rank[t]; ok {
			return r
		}
		return len(rank)
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := at(out[i].Tender), at(out[j].Tender); ri != rj {
			return ri < rj
		}
		return out[i].Tender < out[j].Tender
	})
}
