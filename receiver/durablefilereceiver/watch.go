// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"path/filepath"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

// watch turns file notifications into the readers they concern. It watches the directories
// of open files (and of their symlink targets, as in /var/log/containers -> /var/log/pods)
// and the fixed base of each include pattern, where new files appear.
type watch struct {
	w       *fsnotify.Watcher
	include []string
	logger  *zap.Logger
	watched map[string]bool
	byPath  map[string][]*Reader
}

// newWatch returns nil when notifications are unavailable; polling then finds every change.
func newWatch(include []string, logger *zap.Logger) *watch {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		logger.Warn("File notifications unavailable; relying on polling", zap.Error(err))
		return nil
	}
	return &watch{w: w, include: include, logger: logger, watched: map[string]bool{}, byPath: map[string][]*Reader{}}
}

// refresh works out the paths and directories of readers again after the set changed.
func (w *watch) refresh(readers []*Reader) {
	byPath := make(map[string][]*Reader, 2*len(readers))
	dirs := map[string]bool{}
	for _, rd := range readers {
		if rd.removed {
			continue
		}
		byPath[rd.path] = append(byPath[rd.path], rd)
		dirs[filepath.Dir(rd.path)] = true
		if rd.real != "" {
			byPath[rd.real] = append(byPath[rd.real], rd)
			dirs[filepath.Dir(rd.real)] = true
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

// readersOf returns the readers of the file a notification names.
func (w *watch) readersOf(p string) []*Reader { return w.byPath[p] }

// needsScan tells whether a notification may mean a file appeared, left or was renamed.
func needsScan(ev fsnotify.Event, known bool) bool {
	return !known || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
}

func (w *watch) close() { _ = w.w.Close() }
