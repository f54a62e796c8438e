package web

import (
	"fmt"
	"html"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestPagerLinks: the links of a paged list on its first, second and third
// page, from an older link without the way back, and with a way back longer
// than kept.
func TestPagerLinks(t *testing.T) {
	for _, tc := range []struct {
		name, url, next   string
		first, prev, more string
	}{
		{"first page", "/queue?status=all&done=bulk", "C2", "", "", "/queue?status=all&cursor=C2&back="},
		{"second page", "/queue?status=all&cursor=C2&back=", "C3",
			"/queue?status=all", "/queue?status=all", "/queue?status=all&cursor=C3&back=&back=C2"},
		{"third and last page", "/queue?cursor=C3&back=&back=C2&status=all", "",
			"/queue?status=all", "/queue?status=all&cursor=C2&back=", ""},
		{"an older link", "/queue?cursor=C2", "C3", "/queue", "", "/queue?cursor=C3&back=C2"},
		{"an older lessons link", "/lessons?before=12", "", "/lessons", "", ""},
		{"odd characters", "/admin/users?cursor=a%2Bb%40c&back=", "x&y", "/admin/users", "/admin/users",
			"/admin/users?cursor=x%26y&back=&back=a%2Bb%40c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.url[:strings.IndexByte(tc.url, '?')]
			p := newPager(httptest.NewRequest("GET", tc.url, nil), path, tc.next, pageWords)
			if p.First != tc.first || p.Prev != tc.prev || p.Next != tc.more {
				t.Errorf("first %q, previous %q, next %q; want %q, %q, %q", p.First, p.Prev, p.Next,
					tc.first, tc.prev, tc.more)
			}
		})
	}
	t.Run("a long way back", func(t *testing.T) {
		url := "/campaigns?cursor=100&back="
		for i := range maxBack + 5 {
			url += fmt.Sprintf("&back=%d", 200+i)
		}
		p := newPager(httptest.NewRequest("GET", url, nil), "/campaigns", "50", pageWords)
		if n := strings.Count(p.Next, "back="); n != maxBack {
			t.Errorf("the next page remembers %d pages, want %d", n, maxBack)
		}
		lastKept := fmt.Sprintf("/campaigns?cursor=%d&", 200+maxBack+4)
		if !strings.HasSuffix(p.Next, "&back=100") || !strings.HasPrefix(p.Prev, lastKept) {
			t.Errorf("next %q, previous %q", p.Next, p.Prev)
		}
	})
}

// pageLink finds a paged list's link by its words and returns its address.
func pageLink(t *testing.T, page, words string) string {
	t.Helper()
	m := regexp.MustCompile(`<a class="btn" href="([^"]+)"(?: rel="(?:next|prev)")?>` + words + `</a>`).
		FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %q link on the page", words)
	}
	return html.UnescapeString(m[1])
}

// TestPagingBack walks the queue (opaque cursors, a sort kept) and a
// reporter's own reports with a real server: Next twice, then Previous
// twice and First page, each page showing the cases it showed going on.
func TestPagingBack(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", "Rita Lopez", ally.RoleReporter, "Finance")
	rita := asUser(t, ts, "rita@example.com")
	for i := range 2*queueLimit + 3 {
		c := &ally.NewCase{Kind: ally.KindOther, Summary: fmt.Sprintf("Odd thing %d", i)}
		if _, err := ts.DB.CreateCase(rita, c); err != nil {
			t.Fatal(err)
		}
	}
	refs := regexp.MustCompile(`AL-\d+`)
	sam := newPageClient(t, ts)
	sam.signIn("sam@example.com", ts.addUser(t, "sam@example.com", "Sam Okafor", ally.RoleResponder, "Security"))
	rep := newPageClient(t, ts)
	rep.signIn("rita@example.com", testPassword)
	for _, tc := range []struct {
		name  string
		pc    *pageClient
		start string
		rows  *regexp.Regexp
	}{
		{"queue", sam, "/queue?sort=created", regexp.MustCompile(`class="qlink"[^>]*>[^<]*`)},
		{"my reports", rep, "/", regexp.MustCompile(`href="/cases/AL-\d+"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shows := func(path string) (string, string) {
				t.Helper()
				code, page, _ := tc.pc.get(path)
				if code != 200 {
					t.Fatalf("%s: %d", path, code)
				}
				var got []string
				for _, m := range tc.rows.FindAllString(page, -1) {
					got = append(got, refs.FindString(m))
				}
				if len(got) == 0 {
					t.Fatalf("%s shows no cases", path)
				}
				return strings.Join(got, " "), page
			}
			one, page := shows(tc.start)
			if strings.Contains(page, ">First page<") || strings.Contains(page, ">Previous page<") {
				t.Error("the first page offers a way back")
			}
			two, page2 := shows(pageLink(t, page, "Next page"))
			three, page3 := shows(pageLink(t, page2, "Next page"))
			if one == two || two == three {
				t.Fatalf("Next did not move on: %q, %q, %q", one, two, three)
			}
			if strings.Contains(page3, ">Next page<") {
				t.Error("the last page offers a next page")
			}
			back2, page := shows(pageLink(t, page3, "Previous page"))
			if back2 != two {
				t.Errorf("Previous from page 3 shows %q, want page 2's %q", back2, two)
			}
			if back1, _ := shows(pageLink(t, page, "Previous page")); back1 != one {
				t.Errorf("Previous from page 2 shows %q, want the first page's %q", back1, one)
			}
			if first, _ := shows(pageLink(t, page3, "First page")); first != one {
				t.Errorf("First page from page 3 shows %q, want %q", first, one)
			}
			if tc.name == "queue" && !strings.Contains(pageLink(t, page3, "Previous page"), "sort=created") {
				t.Error("Previous drops the queue's sort")
			}
		})
	}
}
