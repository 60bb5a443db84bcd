// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"path/filepath"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

// watch turns file notifications into the open files they concern. It watches the directories
// of open files (and of their symlink targets, as in /var/log/containers -> /var/log/pods)
// and the fixed base of each include pattern, where new files appear.
type watch struct {
	w       *fsnotify.Watcher
	include []string
	logger  *zap.Logger
	watched map[string]bool
	byPath  map[string][]*file
}

// newWatch returns nil when notifications are unavailable; polling then finds every change.
func newWatch(include []string, logger *zap.Logger) *watch {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		logger.Warn("File notifications unavailable; relying on polling", zap.Error(err))
		return nil
	}
	return &watch{w: w, include: include, logger: logger, watched: map[string]bool{}, byPath: map[string][]*file{}}
}

// refresh works out the paths and directories of open files again after the set changed.
func (w *watch) refresh(open []*file) {
	byPath := make(map[string][]*file, 2*len(open))
	dirs := map[string]bool{}
	for _, f := range open {
		if f.life.removed {
			continue
		}
		p := f.rd.Path()
		byPath[p] = append(byPath[p], f)
		dirs[filepath.Dir(p)] = true
		if real := f.rd.Real(); real != "" {
			byPath[real] = append(byPath[real], f)
			dirs[filepath.Dir(real)] = true
		}
	}
	w.byPath = byPath
	for _, pattern := range w.include {
		base, _ := doublestar.SplitPattern(filepath.ToSlash(pattern))
		dirs[filepath.FromSlash(base)] = true
	}
	for d := range dirs {
		if w.watched[d] {
			continue
		}
		if err := w.w.Add(d); err != nil {
			w.logger.Debug("Cannot watch directory; polling covers it", zap.String("dir", d), zap.Error(err))
			continue
		}
		w.watched[d] = true
	}
}

// filesOf returns the open files a notification names.
func (w *watch) filesOf(p string) []*file { return w.byPath[p] }

// needsScan tells whether a notification may mean a file appeared, left or was renamed.
func needsScan(ev fsnotify.Event, known bool) bool {
	return !known || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
}

func (w *watch) close() { _ = w.w.Close() }
