package main

// batch3Blame and batch3Kind are a third set of phrasings, written with
// other sentence shapes (subordinate clauses, questions, lists, asides) and
// other situations (payments, devices, chat, calls), so that each kind is
// seen in many shapes and no one template owns it.
var batch3Blame = map[string][]string{
	"advice": {
		"{When|If|Whenever} {something like this|a {THING} like that|anything odd} {comes in|lands|arrives} {{FUT}}, {I'd rather you|you need to|make sure you} {CHECK} {instead of|rather than} {ING}.",
		"{Small|One small|A simple} {request|ask|favour} {{FUT}}: {CHECK} {before|prior to} {ING}.",
		"{Honestly|Really|Seriously}, {just|simply} {CHECK} {{FUT}} and {none of this|this} {would happen|happens|would be needed}.",
		"{Do us a favour|Do me a favour|Help us out} and {CHECK} {{FUT}}.",
		"{Let's|We'd better} {make sure|ensure} you {CHECK} {{FUT}}, {shall we|yes|okay}?",
		"{Some|A bit of|More} {common sense|judgement|care} {{FUT}} {please|wouldn't go amiss|would be nice}.",
		"{Stop|Quit} {ING} {{FUT}|, please|, okay}.",
	},
	"passive": {
		"{Findings|Summary|Conclusion|Lessons learned}: {{PERSON}} {did not|didn't} {CHECK}{, which|, and this} {led to|caused} the {incident|compromise}.",
		"{Had|If} {{PERSON}} {{CHECKED}|been paying attention}, {this|none of this|the incident} {wouldn't have happened|would have been avoided}.",
		"{The|This} {issue|problem|incident} {sits|lies|rests} {squarely |firmly |}with {{PERSON}}.",
		"{Once again|Again}, {a member of staff|an employee|someone in {GROUP}s} {failed to|didn't} {CHECK}.",
		"{{PERSON}} {let|allowed} {the attacker|the scammers|them} {in|through} by {ING}.",
		"{Everything|All of it|The whole chain} {started|began} {when|because} {{PERSON}} {ACT3}.",
	},
	"training": {
		"{What|Which} part of {TRAIN} {was unclear|did you miss|didn't you understand}?",
		"{We|I} {shouldn't|should not} {have to|need to} {explain|repeat|go over} {this|{POLICY}} {again|every month|to you}.",
		"{Those|The} {posters|emails|reminders} {about|on} {this|phishing|{THING}s} {are|were} {everywhere|sent to everyone|in every kitchen}{, you must have seen them|.}",
		"{Going by|Based on} your {training record|test score|quiz result}, you {should have|ought to have} {spotted this|known this|caught this}.",
		"{Consider|Think of} {this|it} {a|as a} {refresher|reminder} of {TRAIN}.",
	},
	"sarcasm": {
		"{Ten out of ten|Full marks|Gold star} for {speed|enthusiasm|clicking}{, zero|, nought|, none} for {checking|caution|reading}.",
		"{Lovely|Great|Wonderful}, {another|one more} {ticket|incident|clean-up} for {my|our} {Friday|weekend|evening}.",
		"{I suppose|I guess|I imagine} {the|that} {THING} {looked|seemed} {totally|completely|perfectly} {legit|real|normal} to you.",
		"{Bless|Oh bless}, you {really|actually|genuinely} {thought|believed} {it was|that was} {real|the bank|your boss}.",
		"{Not judging|No judgement|I'm not saying anything}, {but|just} {wow|seriously|really}.",
		"{Well|So}, {that's|there's} {a lesson|a story|one} {for the next all-hands|to tell|for the newsletter}{, isn't it|, I suppose|.}",
	},
	"shaming": {
		"{Can you|Could you|Please} {tell me|give me|send me} {who|the name of whoever} {ACT3}{?|, please.}",
		"{It's always|It is always|Why is it always} {the same people|your lot|{GROUP}s}{.|?}",
		"{I'm|We're} {naming|listing|calling out} {everyone|people|you} who {clicked|fell for it|failed the test} {in the report|at the meeting|publicly}.",
		"{The|Your} {whole team|department|floor} {will|is going to} {get|receive} {a reminder|an email|a lecture} because of {you|this|your click}.",
		"{Your|The} {score|click rate|record} is {the worst|the lowest|bottom} {in|of} {the company|the team|your department}.",
	},
	"threat": {
		"{Should|If} this {happen|happens} again, {BOSS} {will|is going to} {be involved|take it from there|decide what happens}.",
		"{I've|We've|I have} {opened|started|raised} {a case|a file|a review} {on|about} {you|your conduct|your actions} with {BOSS}.",
		"{Keep|Carry on} {ING} and {see|watch} what {happens|{BOSS} says|HR does}.",
		"{I'm|We're} {obliged|required|going} to {log|record|report} {your name|this|you} {for|as} {non-compliance|a policy breach|misconduct}.",
	},
	"damage": {
		"{You|Your click|Your account} {let|allowed} {the attacker|them|the criminals} {into|onto} {the network|our systems|the file server}.",
		"{Because of|Thanks to|Owing to} {your|that} {click|delay|mistake}, {we|the team|IT} {had to|has to|must} {rebuild|reset|wipe} {forty laptops|every account|the whole server}.",
		"{The|This} {money|data|file} {is|has} {gone|lost|leaked} and {that's|it's} {on you|down to you|your doing}.",
		"{None of this|This mess|The outage} would {have happened|exist|be here} {if|had} you {{CHECKED}|had {{CHECKED}}}.",
	},
}

var batch3Kind = map[string][]string{
	"mixed-ok": {
		"{When|If|Whenever} {something like this|a {THING} like that|anything odd} {comes in|lands|arrives} {{{FUT}}|again}, {you're welcome to|feel free to} {send it to us|call us|ask us}, {no matter how small|any time|day or night}.",
		"{Small|One small|A simple} {request|ask|favour}: {could you|please} {keep the laptop on|forward the email|send a screenshot} {so we can check it|when you can|today}?",
		"{Findings|Summary|Conclusion}: {SYS} {did not|didn't} {flag|catch|block} the {THING}, and {we're|the team is} {fixing|changing|tuning} {it|the rules|that}.",
		"{The|This} {issue|problem} {sits|lies} with {{SYS}|the supplier's hacked account|our filters}, not with you.",
		"{Everything|All of it} {started|began} with a {very convincing|well-made|targeted} {THING} {sent|aimed} at {several people|the whole team|finance}.",
		"{We|I} {don't|do not} {expect|need} you to {know|remember|spot} {this|all of this|every trick}; {that's|it's} {our job|what we're here for}.",
		"{Ten out of ten|Full marks|Gold star} for {reporting|speed|telling us}{, honestly|, really|}.",
		"{Can you|Could you} {tell me|remember} {who|which colleague} {sent|forwarded|shared} {it|the {THING}} to you, so we can {warn them|check their account|help them too}?",
		"{Your|The} {whole team|department} {will|is going to} {get|receive} {a heads-up|a short note|a warning} about this {scam|trick|campaign}, {with no names|without names|so they can spot it}.",
		"{Should|If} this {happen|happens} again, {we'll|I'll} {handle|sort} it {the same way|just as quickly|together}.",
		"{I've|We've} {opened|started|raised} {a case|a ticket} {with|for} {the bank|the supplier|our email team} to {stop|block|recover} {it|the payment|the sender}.",
		"{Because of|Thanks to} {your|that} {quick report|call|message}, {we|the team} {only|just} {had to|needed to} {reset|check|rebuild} {one account|your laptop|a single mailbox}.",
		"{The|This} {money|payment|data} is {safe|back|recovered}{, and that's thanks to you|.}",
		"{You|Your report} {let|allowed} {us|the team} {to block|to stop|to catch} {it|the sender|the campaign} {for everyone|early|in time}.",
	},
}
