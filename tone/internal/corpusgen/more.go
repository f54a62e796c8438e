package main

// moreBlame and moreKind are a second set of phrasings, written after the
// first, to vary sentence shapes within each kind.
var moreBlame = map[string][]string{
	"advice": {
		"{Please|Kindly} {think|look} {twice|again|carefully} before {ING} {{FUT}|again|in future}.",
		"{It'd|It would} be {great|nice|helpful} if {FUT} you {could |}{CHECK}.",
		"{Could|Can} you {please |}{CHECK} {FUT}?",
		"{Word to the wise|Quick tip|Pro tip|Friendly reminder}: {CHECK} {{FUT}|before you click|before acting}.",
		"{We need|I need|We want} you to {CHECK} {FUT}{, please|, thanks|.}",
		"{FUT}, {maybe|perhaps} {don't|avoid} {BASE}.",
		"{A bit|A little|Much} more {care|caution|thought|attention} {next time|in future|going forward}{, please|, yeah?|.}",
	},
	"passive": {
		"{The|This} {incident|compromise|breach|loss} {was|is} {down to|caused by|the result of} a {careless|avoidable|sloppy|basic} {mistake|error|slip} by {PERSON}.",
		"{According to|Per} the {logs|timeline|report}, {PERSON} {ACT3} {at 9:14|twice|after being warned|on Monday}.",
		"{PERSON} {chose to|decided to|went ahead and} {ignore the warning|open it anyway|click anyway|approve it anyway}.",
		"{PERSON}'s {failure|inability|refusal} to {check the sender|follow procedure|report it} {led to|caused|resulted in} {DAMAGE}.",
		"{It was|The culprit was|Blame lies with} {PERSON}{, who {ACT3}|.}",
	},
	"training": {
		"{Everyone|All staff|You} {got|received|were sent} {an email|a reminder|guidance} about {this exact scam|this|these} {last week|on Monday|already}{, including you|.}",
		"{This|It} {is|was} in {TRAIN}{, page 3| word for word|, which you completed|.}",
		"{I'd|We'd} {expect|hope} {someone who has done|anyone who attended} {TRAIN} to {know better|spot this|{CHECK}}.",
		"{After|Despite|Even after} {TRAIN}, you still {ACT}?",
	},
	"sarcasm": {
		"{Oh|Well|Wow}, {brilliant|great|perfect|fantastic}{, just what we needed|, another one|.}",
		"{Nice|Great|Lovely} to {hear|know} {you|someone} {finally |}{read|noticed|looked at} {the warning|the email|the banner}.",
		"{I|We} {love|really enjoy} {spending my weekend|cleaning up|resetting passwords} {because of this|after clicks like this|for you}.",
		"{Not that|It's not like} {I|we} {have|had} {anything better to do|other work|a weekend}.",
		"{I'm|We're} {so|really} {impressed|amazed} {you|that you} {managed to|found a way to} {BASE}.",
	},
	"shaming": {
		"{Who|Which one of you} {clicked|opened|approved} {this|it|the link}{?|, I want to know.}",
		"{Same|The same} {person|department|team|old story} {again|every time|as always}.",
		"{You're|You are} {now |}{top of|number one on|at the top of} {the list|our list|the leaderboard} {for clicks|of clickers|this month}.",
		"{I|We} {expected|expect} {better|more} from {a manager|someone senior|someone in your role|your team}.",
	},
	"threat": {
		"{I'll|I will|We'll} {need|have} to {flag|report|mention} {this|you} to {BOSS}{ I'm afraid|.}",
		"{BOSS} {has been|was|will be} {informed|told|notified} {of your|about your} {mistake|lapse|breach|actions}.",
		"{Further|Any more|More} {mistakes|incidents|clicks} {will|may|could} {affect|end up on|impact} your {review|bonus|record|contract}.",
	},
	"damage": {
		"{We|The company|The team} {now have|now has|have} to {notify|tell|call} {customers|the regulator|the bank} {because of you|thanks to your click|because you {ACT}}.",
		"{All|Most} of {this|the} {cleanup|work|cost|overtime} {comes from|is because of|stems from} {your|one} {click|mistake|delay}.",
		"{The attacker|They|The criminals} {got in|got access|stole the data} {because|after|when} you {ACT}.",
	},
}

var moreKind = map[string][]string{
	"you-ok": youKind,
	"system-ok": {
		"{Why|How} did {SYS} {miss|let through|not catch} this{? We're checking.|? That's on us.|?}",
		"{The|This} {user error|error} {dialog|message|popup} is a {known bug|glitch|bug} in {the app|Outlook|our portal}{, we're fixing it|.}",
		"{We'll|We will|I'll} be reporting {the phishing site|the sender|the fake domain} to {the hosting provider|the registrar|the police} {today|now|}.",
		"{Our|The} {training|awareness course} {didn't|did not} cover {this|QR code phishing|this trick}, so {we're adding it|that's on us|we'll fix that}.",
		"{Next time|In future} {we'll|we will|the team will} {let you know|warn everyone|send an alert} {sooner|earlier|faster}.",
		"{As you know|As you may know|You may have heard}, {we're moving|we are switching|the team is upgrading} {everyone|the office} to {the new VPN|new laptops|a new mail system} {next week|soon}.",
	},
	"person-ok": {
		"{PERSON} {was|is} {on holiday|off sick|in a meeting|travelling} when {it|the email|the message} {arrived|came in}.",
		"{PERSON} {reported|flagged|forwarded} {it|the email|the message} {to us|straight away|within minutes}{, brilliant|.}",
		"{Your manager|HR|Nobody} {won't|will not} {be told|hear about it|be involved} {unless you want|at all|}.",
		"{If|Even if} you {ACT}, {that's okay|it's fine|don't worry}{, most people do|, we can fix it|.}",
		"{Did|Have} you {ACT}, or {only|just} {read|open|see} the {THING}? {Either way is fine|Both are fine|No wrong answer}.",
		"{You'll|You will} {get|receive} {a call|an email|a text} from {{BOSS}|us|the helpdesk} {to arrange|about} {a new laptop|your access|the reset}.",
	},
}

// youKind are kind sentences addressed to "you": without them the model
// learns that the word "you" itself blames.
var youKind = []string{
	"{You did nothing wrong|You've done everything right|You did well|You handled it well}{ here| today|}.",
	"{None of this|This|Nothing here} is your fault{.|, honestly.|, these are built to fool people.}",
	"{Your|The} report {helped|let} us {protect|warn} {2,000 people|the whole company|everyone else|other teams}.",
	"{You|Your quick report} {saved|spared} us {hours|a lot of work|a real headache}.",
	"{Thanks again|Thank you again|Thanks once more}{.|!} {Your report|Your call|Your message} {helped|made a difference|mattered}.",
	"{Would|Does|Could} {2pm|4pm|tomorrow morning|after lunch} {suit|work for} you{ better|}?",
	"{Your manager|Your team lead} is {copied|in the loop|cc'd} because you {asked|wanted} {it|that|me to}.",
	"{If you had|Had you} {been targeted|been the only one|clicked twice}, {we'd|we would} {have seen it|know} {in the logs|by now}.",
	"{Obviously|Of course|Naturally}, {we'll|I'll} keep you {updated|posted|in the loop}{ as we learn more|}.",
	"{Clicking|Mistakes|Slips} happen. {Reporting|Telling us} is what {matters|counts}{, and you did|}.",
	"{It's|It is} {common sense|second nature} to us in security, but {we don't expect|nobody expects} {everyone|you} to know it.",
	"{You|You've} {asked|raised} a {great|good|sensible} question{ about the {THING}|}.",
	"{You can|You may} {use|keep using} your {laptop|phone|account} {as normal|again|now}.",
	"{You're|You are} {all set|good to go|safe now|in good hands}.",
	"{Your|The} {password|account|laptop} {is|has been} {reset|secured|cleaned|checked}{ and safe|}.",
	"{We'll|I'll} be more careful with how we {word|write|send} {the warning banner|our alerts|these notes}.",
	"{Why|How} the {attackers|scammers} {chose|picked|found} {you|your team} we don't know yet, but {we're looking into it|we'll find out}.",
	"{Didn't you|You} {say|mention} {the laptop was at home|it came by text|you were travelling}? {Just checking|Only checking} before we {wipe it|reset it|close this}.",
	"{Your policy|The policy} says to report within an hour, and you reported in {ten minutes|five minutes|no time}{. Brilliant|, brilliant|}.",
	"{If you had|Had you} {waited|reported it later}, it {would|could} have been {much |}worse, so thank you.",
	"{You|You've} {helped|supported} {us|the team} {a lot|hugely|so much} {today|this week|with this}.",
	"{Tell me|Let me know} {if you need|whenever you need|if there's} {anything|help|anything else}.",
}
