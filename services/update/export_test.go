package update

// The Windows way of Apply and Rollback, run on every system by the tests.
var (
	ApplyByRenaming    = func(downloaded, target string) error { return apply(downloaded, target, true) }
	RollbackByRenaming = func(target string) error { return rollback(target, true) }
)
