// The Go load generator, for machines without wrk (CI).

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// goLoad is a load generator in this process: each connection writes r
// and reads the answer, again and again, until d has passed.
func goLoad(ctx context.Context, base string, r request, connections int, d time.Duration) (float64, error) {
	u, err := url.Parse(base)
	if err != nil {
		return 0, err
	}
	var raw strings.Builder
	fmt.Fprintf(&raw, "%s %s HTTP/1.1\r\nHost: %s\r\n", r.method, r.path, u.Host)
	for _, h := range r.header {
		fmt.Fprintf(&raw, "%s: %s\r\n", h[0], h[1])
	}
	raw.WriteString("\r\n")
	req := []byte(raw.String())
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var answered atomic.Int64
	errs := make(chan error, connections)
	var wg sync.WaitGroup
	start := time.Now()
	for range connections {
		wg.Go(func() {
			if err := goConn(ctx, u.Host, req, &answered); err != nil {
				errs <- err
				cancel()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(answered.Load()) / elapsed.Seconds(), nil
}

// goConn sends req on one connection until ctx is done.
func goConn(ctx context.Context, addr string, req []byte, answered *atomic.Int64) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	br := bufio.NewReader(conn)
	for ctx.Err() == nil {
		if _, err := conn.Write(req); err != nil {
			return ignoreDone(ctx, err)
		}
		if err := readAnswer(br); err != nil {
			return ignoreDone(ctx, err)
		}
		answered.Add(1)
	}
	return nil
}

func ignoreDone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// readAnswer reads one HTTP/1.1 answer with a Content-Length, which must
// be 200.
func readAnswer(br *bufio.Reader) error {
	status, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(string(status), "HTTP/1.1 200 ") {
		return fmt.Errorf("answered %q", strings.TrimSpace(string(status)))
	}
	length := int64(-1)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		name, value, _ := strings.Cut(string(line), ":")
		if strings.EqualFold(name, "Content-Length") {
			if length, err = strconv.ParseInt(strings.TrimSpace(value), 10, 64); err != nil {
				return err
			}
		}
	}
	if length < 0 {
		return errors.New("an answer without Content-Length")
	}
	_, err = br.Discard(int(length))
	return err
}
