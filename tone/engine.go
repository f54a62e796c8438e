package tone

// Engine checks texts against a compiled rule set. It is safe for concurrent use.
type Engine struct{}

// Default returns the engine built from the embedded rules.
func Default() *Engine { return &Engine{} }

// Check reads text for the given audience.
// STUB: replaced by the real engine.
func (e *Engine) Check(text string, aud Audience) Result {
	return Result{Findings: []Finding{}}
}
