package playbook

import (
	"testing"

	"github.com/allydesk/ally/tone"
)

func BenchmarkLoadDefaults(b *testing.B) {
	for b.Loop() {
		if _, err := Load(DefaultFS()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLintDefaults(b *testing.B) {
	engine := tone.Default()
	for b.Loop() {
		if _, err := Lint(DefaultFS(), engine); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeverityFor(b *testing.B) {
	p, _ := Default().Get("lost_device")
	answers := map[string]string{"customer_data": "yes", "encrypted": "no", "locked": "yes", "device_type": "Laptop"}
	for b.Loop() {
		p.SeverityFor(answers)
	}
}
