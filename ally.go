// Package ally is Ally's domain: what a case, a timeline entry, a task, an
// attachment and campaign, a user, a session, a token and an audit record
// are; the rules about them that need no database; the service interfaces
// the rest of the program implements (store) and calls (web, the CLI); and
// the small Error type every layer shares. It imports no database or HTTP
// code.
//
// Where to look:
//   - authz.go: who may do what. Every permission decision is a named
//     predicate there, and nowhere else.
//   - context.go: who acts in a context: the signed-in user
//     (NewContextWithUser), the operator (NewOperatorContext, for the CLI and
//     the server's own work), or nobody.
//   - error.go: error codes, ErrorCode and ErrorMessage.
//   - case.go, entry.go, task.go, attachment.go, user.go, metrics.go,
//     insights.go, practice.go: each resource's types and service interface.
//
// Every service method that acts for someone fails closed: with nobody in
// the context it returns EUNAUTHORIZED, before it reads or changes anything.
// The error codes each interface method lists are the others it may return.
package ally
