package secrets

import (
	"fmt"

	"github.com/till-pos/till/models"
)

// Errors for people, in their language.

func errInDataFolder(dir, data string) error {
	return &models.Error{Code: models.EINVALID, Key: "error.keys.in_data_folder",
		Fallback: "The key folder {{.Dir}} lies inside the data folder {{.Data}}, or holds it: keep the keys apart from the data and its backups (put the database in a folder of its own with -db, or the keys in another folder with -keys)",
		Args:     map[string]any{"Dir": dir, "Data": data}}
}

func errLoose(path, mode string) error {
	return &models.Error{Code: models.EINVALID, Key: "error.keys.loose",
		Fallback: "Users other than its owner may open {{.Path}}: make it its owner's only (chmod {{.Mode}} {{.Path}}) and start Till again",
		Args:     map[string]any{"Path": path, "Mode": mode}}
}

func errOwner(path string) error {
	return &models.Error{Code: models.EINVALID, Key: "error.keys.owner",
		Fallback: "{{.Path}} belongs to another user than the one Till runs as: Till's keys must be its own",
		Args:     map[string]any{"Path": path}}
}

func errUnusable(path string, err error) error {
	return &models.Error{Code: models.EINTERNAL, Key: "error.keys.unusable",
		Fallback: "The device key cannot be kept in {{.Path}}", Args: map[string]any{"Path": path},
		Err: fmt.Errorf("secrets: %s: %w", path, err)}
}

func errDamaged(path string, err error) error {
	return &models.Error{Code: models.EINVALID, Key: "error.keys.damaged",
		Fallback: "The device key {{.Path}} is damaged, or was sealed by another user: restore it from the key folder's backup",
		Args:     map[string]any{"Path": path}, Err: fmt.Errorf("secrets: %s: %w", path, err)}
}

func errMissing(dir string) error {
	return &models.Error{Code: models.ENOTFOUND, Key: "error.keys.missing",
		Fallback: "This database's device key is not in {{.Dir}}. Restore the key folder from its own backup, or start Till with -keys and the folder that holds the key. If the key is lost for good, start Till once with -new-key: fingers must then be enrolled again and members' cards linked again",
		Args:     map[string]any{"Dir": dir}}
}

func errConflict(path string) error {
	return &models.Error{Code: models.ECONFLICT, Key: "error.keys.conflict",
		Fallback: "The old device key beside the database differs from this database's key in {{.Path}}; neither was changed",
		Args:     map[string]any{"Path": path}}
}

func errBadID(id string) error {
	return &models.Error{Code: models.EDATABASE, Key: "error.keys.bad_id",
		Fallback: "The database names its device key {{.ID}}, which is not a key name: the database may be damaged",
		Args:     map[string]any{"ID": id}}
}
