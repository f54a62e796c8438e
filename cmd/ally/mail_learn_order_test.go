package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally/mailscan"
)

// TestMailLearnSameModelEveryRun: ally mail learn reads its files on as
// many workers as it has cores, but the model it stores does not depend
// on how they were scheduled: with one core or eight, learned in one
// transaction or in several (chunks of 7, learned on their own goroutine
// while the next is read), the stored model is the same to the byte (its
// time stamp aside). A file given twice counts once.
func TestMailLearnSameModelEveryRun(t *testing.T) {
	tmp := t.TempDir()
	phish := filepath.Join(tmp, "phish")
	for n := range 12 {
		writeStatement(t, phish, 4400+n)
	}
	raw, err := os.ReadFile(filepath.Join(phish, "statement-4400.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(phish, "statement-again.eml"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(phish, "empty.eml"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	defer func(procs, chunk int) { runtime.GOMAXPROCS(procs); learnChunk = chunk }(runtime.GOMAXPROCS(0), learnChunk)
	first := map[int][]byte{} // by chunk size
	for _, run := range []struct{ procs, chunk int }{{1, 2000}, {8, 2000}, {1, 7}, {8, 7}, {3, 7}} {
		runtime.GOMAXPROCS(run.procs)
		learnChunk = run.chunk
		db := filepath.Join(tmp, "org.db")
		os.Remove(db)
		if code, _, errOut := runCmd(t, "", "migrate", "--db", db); code != 0 {
			t.Fatalf("migrate: %s", errOut)
		}
		code, out, errOut := runCmd(t, "", "mail", "learn", "--phish", phish, "--ham", evalDir+"benign", "--db", db)
		if code != 0 || !strings.Contains(out, "1 already known, 1 empty and skipped") {
			t.Fatalf("%+v: exit %d\n%s%s", run, code, out, errOut)
		}
		got := storedModel(t, db)
		if first[run.chunk] == nil {
			first[run.chunk] = got
		} else if string(got) != string(first[run.chunk]) {
			t.Fatalf("%+v: the stored model differs from the one learned on one core", run)
		}
	}
}

// storedModel is the organisation's model stored in the SQLite file db,
// its time stamp cleared.
func storedModel(t *testing.T, db string) []byte {
	t.Helper()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var data []byte
	if err := conn.QueryRow("SELECT data FROM mail_model").Scan(&data); err != nil {
		t.Fatal(err)
	}
	m, err := mailscan.ParseOrgModel(data)
	if err != nil {
		t.Fatal(err)
	}
	m.Updated = time.Time{}
	out, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLessonStreamStops: once its context is cancelled the stream reads no
// more files: what it still hands out says so (or it ends), and stop
// returns. Until then it hands out every file in order.
func TestLessonStreamStops(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for n := range 200 {
		files = append(files, writeStatement(t, dir, n))
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := startLessons(ctx, []learnSet{{dir: dir, phish: true, files: files}}, 4, 8)
	for i := range 20 {
		it, ok := s.next()
		if !ok || it.path != files[i] || it.err != nil || it.ex == nil || !it.phish {
			t.Fatalf("item %d: %+v %v", i, it, ok)
		}
	}
	cancel()
	read := 0
	for {
		it, ok := s.next()
		if !ok {
			break
		}
		if it.err == nil {
			read++ // read before the cancel was seen
		}
	}
	if read > 8+4+1 {
		t.Errorf("%d files read after the cancel; at most the read-ahead", read)
	}
	s.stop()
}
