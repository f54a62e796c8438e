package ally

import (
	"encoding/json"
	"testing"
)

func TestNewPage(t *testing.T) {
	id := IDCursor(func(n int) int64 { return int64(n) })
	for _, tc := range []struct {
		name  string
		items []int
		limit int
		want  string
	}{
		{"nothing", nil, 2, `{"items":[],"next_cursor":null}`},
		{"fewer than a page", []int{9}, 2, `{"items":[9],"next_cursor":null}`},
		{"exactly a page: the last", []int{9, 8}, 2, `{"items":[9,8],"next_cursor":null}`},
		{"one more: a next page", []int{9, 8, 7}, 2, `{"items":[9,8],"next_cursor":"8"}`},
	} {
		b, _ := json.Marshal(NewPage(tc.items, tc.limit, id))
		if string(b) != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, b, tc.want)
		}
	}
}
