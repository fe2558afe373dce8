package storage

import (
	"errors"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// syncedDisk returns a Disk whose directory syncs call hook first.
func syncedDisk(t *testing.T, hook func() error) *Disk {
	t.Helper()
	d, err := OpenDisk(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	d.InjectFaults(func(op string) error {
		if op == "syncdir" {
			return hook()
		}
		return nil
	})
	return d
}

// TestSyncAfterChange checks the one promise group commit must keep: a
// change is covered only by a sync that started after it was made. A
// change made while a sync runs waits for the next one; changes made
// before a sync starts share it.
func TestSyncAfterChange(t *testing.T) {
	t.Parallel()
	var syncs atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	d := syncedDisk(t, func() error {
		if syncs.Add(1) == 1 {
			close(started)
			<-release // the first sync runs until the test says
		}
		return nil
	})
	first, err := d.syncs.join(bucketsDir)
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := d.syncs.join(bucketsDir) // made before the first sync starts
	firstDone := make(chan error)
	go func() { firstDone <- d.syncs.wait(first) }()
	<-started
	late, _ := d.syncs.join(bucketsDir) // made while the first sync runs
	lateDone := make(chan error)
	go func() { lateDone <- d.syncs.wait(late) }()
	sharedDone := make(chan error)
	go func() { sharedDone <- d.syncs.wait(shared) }()
	select {
	case <-lateDone:
		t.Fatal("a change made during a sync was answered by it")
	case <-sharedDone:
		t.Fatal("a change was answered before its sync ended")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	for _, done := range []chan error{firstDone, sharedDone, lateDone} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := syncs.Load(); n != 2 {
		t.Errorf("%d syncs for three changes, one made during the first sync: want 2", n)
	}
	d.syncs.mu.Lock()
	defer d.syncs.mu.Unlock()
	if len(d.syncs.dirs) != 0 {
		t.Errorf("directories still open with no change waiting: %v", d.syncs.dirs)
	}
}

// TestSyncGrouped has many writers change one directory at once, each
// waiting for its sync, while syncs are slow: every change is covered by
// a sync that started after it was made and ended before its wait did,
// and the writers share far fewer syncs than there are changes.
func TestSyncGrouped(t *testing.T) {
	t.Parallel()
	var clock atomic.Int64 // orders joins, sync starts and returns
	var mu sync.Mutex
	var starts []int64
	d := syncedDisk(t, func() error {
		mu.Lock()
		starts = append(starts, clock.Add(1))
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		return nil
	})
	const writers, changes = 16, 20
	type span struct{ joined, returned int64 }
	spans := make(chan span, writers*changes)
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range changes {
				p, err := d.syncs.join(bucketsDir)
				joined := clock.Add(1)
				if err == nil {
					err = d.syncs.wait(p)
				}
				if err != nil {
					t.Error(err)
					return
				}
				spans <- span{joined, clock.Add(1)}
			}
		})
	}
	wg.Wait()
	close(spans)
	n := 0
	for s := range spans {
		n++
		covered := false
		for _, start := range starts {
			covered = covered || s.joined < start && start < s.returned
		}
		if !covered {
			t.Fatalf("a change joined at %d and returned at %d with no sync started between: %v", s.joined, s.returned, starts)
		}
	}
	t.Logf("%d changes, %d syncs", n, len(starts))
	if n != writers*changes || len(starts) > n/2 {
		t.Errorf("%d changes shared %d syncs: want at most half as many syncs", n, len(starts))
	}
}

// TestSyncError checks that the changes that joined a failing sync get
// its error as a NotDurableError, and that the next sync is tried anew.
func TestSyncError(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	fail.Store(true)
	d := syncedDisk(t, func() error {
		if fail.Load() {
			return syscall.EIO
		}
		return nil
	})
	failed := d.pending(bucketsDir, nil)
	if err := failed.Wait(); !errors.Is(err, syscall.EIO) || Changed(err) == false {
		t.Errorf("a failed sync: %v, want a NotDurableError wrapping EIO", err)
	}
	fail.Store(false)
	ran := false
	if err := d.pending(bucketsDir, func(error) { ran = true }).Wait(); err != nil || !ran {
		t.Errorf("the sync after a failed one: %v, then ran: %v", err, ran)
	}
}

// TestSyncForget checks that a directory renamed away is opened anew for
// a change made later at the same path, while a change already waiting
// still syncs the directory it was made in.
func TestSyncForget(t *testing.T) {
	t.Parallel()
	d := syncedDisk(t, func() error { return nil })
	old, err := d.syncs.join(bucketsDir)
	if err != nil {
		t.Fatal(err)
	}
	d.syncs.forget(bucketsDir)
	fresh, err := d.syncs.join(bucketsDir)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.ds == old.ds {
		t.Error("a change after forget joined the directory forgotten")
	}
	for _, p := range []pending{old, fresh} {
		if err := d.syncs.wait(p); err != nil {
			t.Error(err)
		}
	}
}
