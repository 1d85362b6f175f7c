package models

import "context"

// QuarantineOutbox is replaced on merge.
func (s *Store) QuarantineOutbox(ctx context.Context, id uint, problem string) error { return nil }
