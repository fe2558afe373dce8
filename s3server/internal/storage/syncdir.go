package storage

import (
	"os"
	"strings"
	"sync"
)

// dirSyncs makes the changes made in directories durable, grouping the
// syncs of each directory (group commit). A change joins the next sync of
// its directory: one that has not started, so that it starts after the
// change was made and covers it. Every change made in the directory while
// a sync runs joins that same next sync, which one of them runs once the
// sync before it ends: n concurrent writers in a directory share about
// two fsyncs, not n in a row.
type dirSyncs struct {
	d    *Disk
	mu   sync.Mutex
	dirs map[string]*dirSync // by path in the data directory
}

// dirSync is the syncs of one directory, while changes wait for them.
type dirSync struct {
	path    string
	f       *os.File   // the directory, opened when the first change joined
	waiting int        // changes that joined and have not finished waiting
	next    *syncRound // the sync changes join now; nil until one does
	running *syncRound // the sync under way; nil when none is
}

// syncRound is one sync of a directory.
type syncRound struct {
	started bool
	done    chan struct{} // closed when it has ended
	err     error
}

// pending is a change waiting for the sync it joined.
type pending struct {
	ds    *dirSync
	round *syncRound
}

// join enrols a change just made in dir for the next sync of dir. The
// caller must hold what keeps dir in place (the server's lock on the
// bucket), so that the directory opened is the one the change was made
// in.
func (s *dirSyncs) join(dir string) (pending, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.dirs[dir]
	if ds == nil {
		f, err := s.d.root.Open(dir)
		if err != nil {
			return pending{}, err
		}
		ds = &dirSync{path: dir, f: f}
		s.dirs[dir] = ds
	}
	ds.waiting++
	if ds.next == nil {
		ds.next = &syncRound{done: make(chan struct{})}
	}
	return pending{ds, ds.next}, nil
}

// wait returns once the sync p joined has ended, with its error: it waits
// for the sync under way, if any, then runs p's sync itself unless
// another change that joined it already has.
func (s *dirSyncs) wait(p pending) error {
	ds, r := p.ds, p.round
	s.mu.Lock()
	for !r.started && ds.running != nil {
		running := ds.running
		s.mu.Unlock()
		<-running.done
		s.mu.Lock()
	}
	if r.started {
		s.mu.Unlock()
		<-r.done
		s.mu.Lock()
	} else {
		r.started = true
		ds.next, ds.running = nil, r
		s.mu.Unlock()
		r.err = s.d.syncOpenDir(ds.f)
		s.mu.Lock()
		ds.running = nil
		close(r.done)
	}
	ds.waiting--
	if ds.waiting == 0 {
		ds.f.Close()
		if s.dirs[ds.path] == ds {
			delete(s.dirs, ds.path)
		}
	}
	s.mu.Unlock()
	return r.err
}

// forget drops the directory dir and those under it, which a deletion
// has renamed away: a change later made at the same path is in another
// directory, which must be opened anew. Changes already waiting still
// sync the directory they were made in.
func (s *dirSyncs) forget(dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for p := range s.dirs {
		if p == dir || strings.HasPrefix(p, dir+"/") {
			delete(s.dirs, p)
		}
	}
}
