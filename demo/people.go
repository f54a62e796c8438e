// Package demo fills a database with a believable organisation and its
// security cases, for trying Ally out and for benchmarks.
package demo

import "github.com/allydesk/ally"

// Password is the demo accounts' shared password. Demo databases are for
// trying Ally out, never for real use.
const Password = "ally-demo-password"

// Account is one demo sign-in.
type Account struct {
	Email, Name, Department string
	Role                    ally.Role
}

// Accounts are the demo organisation: a lead, responders, an admin and
// reporters across departments. The first of each role is the one the
// quick start suggests.
var Accounts = []Account{
	{"sam.taylor@example.com", "Sam Taylor", "Finance", ally.RoleReporter},
	{"riley.chen@example.com", "Riley Chen", "Security", ally.RoleResponder},
	{"lee.morgan@example.com", "Lee Morgan", "Security", ally.RoleLead},
	{"admin@example.com", "Ada Admin", "IT", ally.RoleAdmin},
	{"jordan.diaz@example.com", "Jordan Diaz", "Security", ally.RoleResponder},
	{"priya.natarajan@example.com", "Priya Natarajan", "Security", ally.RoleResponder},
	{"maria.garcia@example.com", "Maria Garcia", "Sales", ally.RoleReporter},
	{"tom.becker@example.com", "Tom Becker", "Engineering", ally.RoleReporter},
	{"aisha.khan@example.com", "Aisha Khan", "People", ally.RoleReporter},
	{"li.wei@example.com", "Li Wei", "Operations", ally.RoleReporter},
	{"noah.smith@example.com", "Noah Smith", "Finance", ally.RoleReporter},
	{"emma.johnson@example.com", "Emma Johnson", "Marketing", ally.RoleReporter},
	{"lucas.martin@example.com", "Lucas Martin", "Legal", ally.RoleReporter},
	{"fatima.ali@example.com", "Fatima Ali", "Sales", ally.RoleReporter},
	{"oliver.brown@example.com", "Oliver Brown", "Engineering", ally.RoleReporter},
	{"chloe.dubois@example.com", "Chloé Dubois", "Operations", ally.RoleReporter},
	{"david.okafor@example.com", "David Okafor", "Finance", ally.RoleReporter},
	{"hana.sato@example.com", "Hana Sato", "Marketing", ally.RoleReporter},
	{"mateo.rossi@example.com", "Mateo Rossi", "Sales", ally.RoleReporter},
	{"grace.lee@example.com", "Grace Lee", "People", ally.RoleReporter},
	{"ben.cohen@example.com", "Ben Cohen", "Engineering", ally.RoleReporter},
	{"sofia.silva@example.com", "Sofia Silva", "Legal", ally.RoleReporter},
}

// story is a template for a realistic report of one kind.
type story struct {
	kind    ally.Kind
	weight  int
	summary []string
	details []string
	answers []map[string]string
}

var stories = []story{
	{ally.KindSuspiciousEmail, 30, []string{"Email says my mailbox is full", "Invoice from a supplier I don't know",
		"Message from 'the CEO' asking for gift cards", "Shared document link from an unknown sender"},
		[]string{"It asked me to sign in to keep my email working. I didn't click anything.",
			"The sender's address looked odd, so I wanted you to check it first.",
			"It said it was urgent and to keep it quiet. That felt wrong."}, nil},
	{ally.KindClickedLink, 18, []string{"Clicked a parcel delivery link", "Clicked a link in a Teams message",
		"Opened a 'shared file' link"}, []string{"It said a parcel was waiting and I clicked before I thought.",
		"The page looked like our sign-in page, then went blank.", "A colleague's account sent it, so I trusted it."},
		[]map[string]string{{"typed_password": "no"}, {"typed_password": "yes"}, {"typed_password": "not sure"}}},
	{ally.KindEnteredCredentials, 10, []string{"Typed my password into a fake page",
		"Signed in on a page that looked wrong"},
		[]string{"After I typed my password, the page showed an error and I got worried.",
			"I only noticed the web address was wrong after I signed in."}, nil},
	{ally.KindOpenedAttachment, 8, []string{"Opened an invoice attachment", "Opened a zip file from email"},
		[]string{"The file asked me to enable editing, and I did.", "Nothing seemed to happen, but it felt strange."},
		[]map[string]string{{"enabled_content": "yes"}, {"enabled_content": "no"}}},
	{ally.KindUnexpectedMFAPrompt, 8, []string{"Got sign-in prompts I didn't ask for", "Approved a prompt by mistake"},
		[]string{"My phone kept buzzing with sign-in requests late at night.",
			"I tapped approve while I was busy, then realised I wasn't signing in."},
		[]map[string]string{{"approved": "no"}, {"approved": "yes"}}},
	{ally.KindLostDevice, 6, []string{"Left my laptop on the train", "Phone lost at the airport"},
		[]string{"I noticed it was gone when I got home.", "It has my work email on it."}, nil},
	{ally.KindMisdirectedData, 6, []string{"Sent a spreadsheet to the wrong person",
		"Emailed a client file to the wrong client"},
		[]string{"The name auto-filled and I didn't notice.", "I've asked them to delete it."}, nil},
	{ally.KindMalwareWarning, 5, []string{"Antivirus pop-up on my laptop", "Browser says my computer is infected"},
		[]string{"A red window appeared and asked me to call a number.", "The laptop got very slow after the warning."}, nil},
	{ally.KindSuspiciousCall, 5, []string{"Caller said they were from IT", "Text asking for my login code"},
		[]string{"They asked me to read out the code I got by text.", "They knew my manager's name."}, nil},
	{ally.KindOther, 4, []string{"USB stick found in the car park", "Someone followed me through the door"},
		[]string{"I didn't plug it in.", "I didn't recognise them and they had no badge."}, nil},
}

var (
	replies = []string{
		"Hi %s, thank you for reporting this so quickly. I'm looking at it now and will keep you posted.",
		"Hi %s, thanks for letting us know. You did the right thing. Let's work through this together.",
		"Hi %s, thanks for flagging this. We've blocked the sender for everyone, so you can relax.",
	}
	reporterReplies = []string{"Thank you, that's a relief.", "OK, I've done that now.",
		"Thanks! Anything else I should do?"}
	notes = []string{"Checked mail logs: 14 other recipients, message purged.", "Sessions revoked, MFA reset.",
		"Proxy block added for the domain.", "EDR scan clean."}
	comments = []string{"Quick and kind, thank you.", "I felt helped, not judged.", "Very clear steps.", "", "", ""}
)
