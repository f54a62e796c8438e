# Benign scenarios (exec'd by make_eval.py).
K = "benign"
LU = [("List-Unsubscribe", "<https://example.invalid/unsub>, <mailto:unsub@example.invalid>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]

def newsletter(slug, name, addr, subj, intro, items, tracker, lang="en", urgent=""):
    dom = addr.split("@")[1]
    links = "".join("<tr><td><h3>%s</h3><p>%s</p><a href='https://%s/c/%d?u=%s'>Read more</a></td></tr>" % (t, d, tracker, i, slug) for i, (t, d) in enumerate(items))
    foot = {"en": "You receive this because you subscribed. <a href='https://%s/unsub'>Unsubscribe</a>",
            "es": "Recibe este correo porque se suscribió. <a href='https://%s/unsub'>Darse de baja</a>",
            "fr": "Vous recevez cet e-mail car vous êtes inscrit. <a href='https://%s/unsub'>Se désinscrire</a>",
            "de": "Sie erhalten diese E-Mail, weil Sie sich angemeldet haben. <a href='https://%s/unsub'>Abmelden</a>",
            "pt": "Você recebe este e-mail porque se inscreveu. <a href='https://%s/unsub'>Cancelar inscrição</a>"}[lang] % tracker
    html = page("<p>%s</p>%s<table>%s</table><p><a href='https://%s/c/web'>www.%s</a></p><p style='font-size:11px'>%s</p><img src='https://%s/open.gif'>" % (intro, urgent, links, tracker, dom, foot, tracker))
    write(K, "news-" + slug, '"%s" <%s>' % (name, addr), subj, html=html, headers=LU + [("Precedence", "bulk")],
          ar=auth("pass", "pass", "pass", dom, mailfrom="bounces." + dom), return_path="bounce-%s@bounces.%s" % (slug, dom))

newsletter("techweekly", "Tech Weekly", "news@techweekly.example", "This week: chips, clouds and a new phone",
           "Here are this week's top stories.", [("New phone review", "Hands-on with the latest model."), ("Cloud prices fall", "What it means for you."), ("Chip shortage ends", "Analysts weigh in.")], "click.mlsend.example")
newsletter("gardening", "Green Thumb", "hello@greenthumb.example", "Autumn planting guide",
           "Time to plant bulbs!", [("Tulips", "Plant before the frost."), ("Garlic", "Easy and rewarding."), ("Compost", "Start your pile now.")], "greenthumb.list-manage.com")
newsletter("recetas", "Cocina Fácil", "boletin@cocinafacil.example", "Recetas de otoño para toda la familia",
           "Hola, estas son nuestras recetas de la semana.", [("Crema de calabaza", "Lista en 30 minutos."), ("Tortilla", "La receta clásica.")], "cocinafacil.list-manage.com", "es")
newsletter("kultur", "Kulturmagazin", "redaktion@kulturmagazin.example", "Ihr Wochenendtipp: Ausstellungen und Konzerte",
           "Guten Tag, hier unsere Tipps.", [("Museumsnacht", "Eintritt frei bis Mitternacht."), ("Jazzfestival", "Programm online.")], "kulturmagazin.sendgrid.net", "de")
newsletter("voyage", "Voyages Magazine", "lettre@voyagesmag.example", "Nos idées d'escapades pour l'automne",
           "Bonjour, voici nos idées de voyage.", [("Lisbonne", "Trois jours au soleil."), ("Alsace", "Les marchés de Noël.")], "t.voyagesmag.example", "fr")
newsletter("financas", "Finanças Pessoais", "newsletter@financaspessoais.example", "Como organizar o orçamento do mês",
           "Olá! Dicas desta semana.", [("Orçamento", "Comece pelo básico."), ("Poupança", "Metas realistas.")], "financaspessoais.rs6.net", "pt")
newsletter("devdigest", "Dev Digest", "digest@devdigest.example", "Go 1.26 released, and more",
           "The week in software.", [("Go 1.26", "What's new."), ("Rust 2026", "Edition notes."), ("Postgres 19", "Beta is out.")], "devdigest.substack.com")
newsletter("sports", "Club Runner", "news@clubrunner.example", "Race results and training tips",
           "Congratulations to all finishers!", [("Results", "Full list online."), ("Training", "Interval sessions.")], "clubrunner.mcsv.net")

# Marketing with urgent words, aligned authentication.
newsletter("sale-lastchance", "Nordic Home", "offers@nordichome.example", "Last chance: 30% off ends tonight",
           "Hurry, our autumn sale ends tonight!", [("Sofas", "Now 30% off."), ("Lamps", "Limited stock.")], "nordichome.klclick.com", urgent="<p><b>Act now - offer expires today. Don't miss out!</b></p>")
newsletter("flash-es", "Moda Ya", "ofertas@modaya.example", "¡Última oportunidad! Rebajas que terminan hoy",
           "¡Date prisa! Las rebajas terminan hoy mismo.", [("Abrigos", "Hasta -50%."), ("Botas", "Últimas tallas.")], "modaya.list-manage.com", "es", urgent="<p>Oferta urgente: solo hoy.</p>")
newsletter("flash-de", "Sportwelt", "angebote@sportwelt.example", "Nur noch heute: 20 % auf alles",
           "Letzte Chance! Das Angebot läuft heute ab.", [("Laufschuhe", "Neue Modelle."), ("Jacken", "Wasserdicht.")], "sportwelt.sendgrid.net", "de", urgent="<p>Dringend: nur noch heute gültig.</p>")
newsletter("flash-fr", "Librairie Lumière", "info@librairielumiere.example", "Dernière chance : livraison offerte",
           "Dernière chance pour la livraison offerte, l'offre expire ce soir.", [("Romans", "Les nouveautés."), ("BD", "Nos coups de coeur.")], "librairielumiere.mjt.lu", "fr")
newsletter("flash-pt", "Loja Verde", "promo@lojaverde.example", "Última chance: frete grátis termina hoje",
           "Corra! Promoção termina hoje mesmo.", [("Plantas", "Novas espécies."), ("Vasos", "Desconto especial.")], "lojaverde.rs6.net", "pt")
newsletter("webinar", "CloudOps Academy", "events@cloudopsacademy.example", "Final reminder: webinar starts in 1 hour",
           "Don't miss it - the session starts in the next hour. Seats are limited, register now.", [("Agenda", "Kubernetes cost control."), ("Speakers", "Three practitioners.")], "cloudopsacademy.hubspotlinks.com")

# Receipts.
receipts = [
  ("amazon", '"Amazon.com" <auto-confirm@amazon.com>', "amazon.com", "Your Amazon.com order #112-4471-9931", "Thanks for your order. Order total: $42.17. Arriving Thursday.", "https://www.amazon.com/gp/css/order-details?orderID=112-4471-9931"),
  ("apple", '"Apple" <no_reply@email.apple.com>', "email.apple.com", "Your receipt from Apple", "Receipt for iCloud+ 50GB: 0.99 EUR. Billed to your Apple ID.", "https://support.apple.com/billing"),
  ("uber", '"Uber Receipts" <noreply@uber.com>', "uber.com", "Your Tuesday evening trip with Uber", "Total 18.40 EUR. Thanks for riding.", "https://riders.uber.com/trips"),
  ("cafe", '"Café Aurora" <recibos@cafeaurora.example>', "cafeaurora.example", "Su recibo de Café Aurora", "Gracias por su compra. Total: 7,50 EUR. IVA incluido.", "https://cafeaurora.example/recibos"),
  ("bahn", '"Deutsche Bahn" <buchungsbestaetigung@bahn.de>', "bahn.de", "Ihre Buchungsbestätigung", "Vielen Dank für Ihre Buchung. Ihr Ticket finden Sie im Anhang bzw. in der App.", "https://www.bahn.de/buchung"),
  ("paypal", '"PayPal" <service@paypal.com>', "paypal.com", "Receipt for your payment to Green Thumb", "You sent a payment of 25.00 EUR to Green Thumb. Transaction ID 7HX12345.", "https://www.paypal.com/myaccount/transactions"),
  ("stripe", '"Linear" <receipts+acct_1@stripe.com>', "stripe.com", "Your receipt from Linear #2041-3321", "Amount paid $96.00. Thank you for your business.", "https://pay.stripe.com/receipts/abc"),
]
for slug, frm, dom, subj, body, url in receipts:
    write(K, "receipt-" + slug, frm, subj, html=page("<p>%s</p><p><a href='%s'>View details</a></p>" % (body, url)),
          ar=auth("pass", "pass", "pass", dom))

# Calendar invites (internal).
ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:%s\r\nDTSTART:20261105T100000Z\r\nDTEND:20261105T110000Z\r\nORGANIZER:mailto:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
invites = [
  ("planning", "sam.lee@example-corp.com", "Invitation: Q1 planning @ Thu Nov 5, 10:00", "Q1 planning"),
  ("retro", "rita.gomez@example-corp.com", "Invitation: Sprint retro", "Sprint retro"),
  ("reunion", "lucia.martin@example-corp.com", "Invitación: Reunión de equipo", "Reunión de equipo"),
  ("besprechung", "jonas.weber@example-corp.com", "Einladung: Projektbesprechung", "Projektbesprechung"),
]
for slug, org, subj, summary in invites:
    write(K, "invite-" + slug, '"%s" <%s>' % (org.split("@")[0].replace(".", " ").title(), org), subj,
          text="You have been invited to %s.\n\nJoin: https://teams.microsoft.com/l/meetup-join/19%%3ameeting_abc\n" % summary,
          attach=[("invite.ics", "text/calendar", ics % (summary, org))], ar=auth("pass", "pass", "pass", "example-corp.com"))

# Shipping notices from real carriers.
ship = [
  ("ups", '"UPS Quantum View" <pkginfo@ups.com>', "ups.com", "UPS Update: Package Scheduled for Delivery Today", "Your package 1Z999AA10123456784 is scheduled for delivery today.", "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
  ("dhl", '"DHL Paket" <noreply@dhl.de>', "dhl.de", "Ihre DHL Sendung kommt heute", "Ihre Sendung 00340434161234567890 wird heute zugestellt.", "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434161234567890"),
  ("fedex", '"FedEx" <TrackingUpdates@fedex.com>', "fedex.com", "Your package is on its way", "Scheduled delivery: Friday. Tracking number 771234567890.", "https://www.fedex.com/fedextrack/?trknbr=771234567890"),
  ("correos", '"Correos" <notificaciones@correos.es>', "correos.es", "Tu envío está en reparto", "Tu envío PQ4B1C0123456780 será entregado hoy.", "https://www.correos.es/es/es/herramientas/localizador/envios"),
  ("ctt", '"CTT" <noreply@ctt.pt>', "ctt.pt", "A sua encomenda foi expedida", "A encomenda RR123456789PT foi expedida e chega em 2 dias úteis.", "https://www.ctt.pt/feapl_2/app/open/objectSearch/objectSearch.jspx"),
  ("laposte", '"Colissimo" <noreply@colissimo.fr>', "colissimo.fr", "Votre colis arrive aujourd'hui", "Votre colis 6A12345678901 sera livré aujourd'hui.", "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"),
]
for slug, frm, dom, subj, body, url in ship:
    write(K, "ship-" + slug, frm, subj, html=page("<p>%s</p><p><a href='%s'>Track your shipment</a></p>" % (body, url)),
          ar=auth("pass", "pass", "pass", dom))

# Internal mail with aligned authentication.
internal = [
  ("lunch", "sam.lee", "Team lunch on Friday?", "Hi all,\n\nShall we do team lunch on Friday at 12:30? Reply if you can make it.\n\nSam"),
  ("deadline", "rita.gomez", "Urgent: report deadline moved to Wednesday", "Hi team,\n\nHeads up, the quarterly report deadline moved to Wednesday. Please send me your sections as soon as possible.\n\nThanks,\nRita"),
  ("review", "jonas.weber", "Code review for the billing service", "Hi Alex,\n\nCould you review my pull request for the billing service when you have a minute? The link is in the ticket.\n\nJonas"),
  ("vacation", "lucia.martin", "Vacaciones de diciembre", "Hola a todos,\n\nPor favor, indicad vuestras vacaciones de diciembre en la hoja compartida antes del viernes.\n\nGracias,\nLucía"),
  ("offsite", "marie.dubois", "Séminaire d'équipe", "Bonjour à tous,\n\nLe séminaire d'équipe aura lieu le 12 novembre. Merci de confirmer votre présence.\n\nMarie"),
  ("onboarding", "ana.silva", "Boas-vindas ao novo colega", "Olá equipe,\n\nO Pedro começa na segunda-feira. Por favor, ajudem-no na primeira semana.\n\nAna"),
  ("outage", "ops", "Planned maintenance tonight", "Hello,\n\nThe VPN will be down for planned maintenance tonight from 22:00 to 23:00. No action needed.\n\nIT Operations"),
  ("it-password-policy", "it-support", "Reminder: password policy update", "Hello everyone,\n\nFrom next month, passwords must be at least 14 characters. You will be asked to change yours at your next regular change. No action is needed today, and IT will never ask for your password.\n\nIT Support"),
]
for slug, user, subj, body in internal:
    name = {"ops": "IT Operations", "it-support": "IT Support"}.get(user, user.replace(".", " ").title())
    write(K, "internal-" + slug, '"%s" <%s@example-corp.com>' % (name, user), subj, text=body,
          ar=auth("pass", "pass", "pass", "example-corp.com"), ip="10.0.4.12")

# Replies in a thread, including payment talk between colleagues.
thread = [
  ("invoice-approval", "fin.chen", "RE: Invoice 4471 approval", "Approved. Please schedule the payment to Northwind for the outstanding invoice in this week's run, using the bank details we already have on file."),
  ("budget", "sam.lee", "RE: Budget numbers", "Thanks, the numbers look right. Let's go with option B."),
  ("aw-termin", "jonas.weber", "AW: Termin nächste Woche", "Dienstag passt mir gut. Bis dann!"),
  ("rv-contrato", "lucia.martin", "RE: Contrato proveedor", "Perfecto, lo firmo hoy y te lo devuelvo."),
]
for slug, user, subj, body in thread:
    write(K, "thread-" + slug, '"%s" <%s@example-corp.com>' % (user.replace(".", " ").title(), user), subj, text=body + "\n",
          headers=[("In-Reply-To", "<prev-%s@example-corp.com>" % slug), ("References", "<prev-%s@example-corp.com>" % slug)],
          ar=auth("pass", "pass", "pass", "example-corp.com"), ip="10.0.4.13")

# Password resets the user asked for.
resets = [
  ("github", '"GitHub" <noreply@github.com>', "github.com", "[GitHub] Please reset your password", "We heard that you lost your GitHub password. You can use the following link to reset your password:", "https://github.com/password_reset/abc123", "If you don't use this link within 3 hours, it will expire."),
  ("microsoft", '"Microsoft account team" <account-security-noreply@accountprotection.microsoft.com>', "accountprotection.microsoft.com", "Microsoft account security code", "Please use the following security code for the Microsoft account al***@example-corp.com. Security code: 482913", "https://account.live.com/activity", "If you didn't request this code, you can safely ignore this email."),
  ("google", '"Google" <no-reply@accounts.google.com>', "accounts.google.com", "Security alert: new sign-in", "A new sign-in on Windows. If this was you, you don't need to do anything. If not, we'll help you secure your account.", "https://myaccount.google.com/notifications", "You received this email to let you know about important changes to your Google Account."),
  ("slack", '"Slack" <no-reply@slack.com>', "slack.com", "Slack confirmation code: 391-204", "Confirm your email address. Your confirmation code is below; enter it in your open browser window.", "https://slack.com/help", "If you didn't request this email, there's nothing to worry about."),
  ("zalando-de", '"Zalando" <service@zalando.de>', "zalando.de", "Passwort zurücksetzen", "Sie haben angefordert, Ihr Passwort zurückzusetzen. Klicken Sie auf den Link, um ein neues Passwort festzulegen.", "https://www.zalando.de/passwort-reset?t=abc", "Wenn Sie dies nicht angefordert haben, ignorieren Sie diese E-Mail."),
]
for slug, frm, dom, subj, body, url, foot in resets:
    write(K, "reset-" + slug, frm, subj, html=page("<p>%s</p><p><a href='%s'>%s</a></p><p>%s</p>" % (body, url, url, foot)),
          ar=auth("pass", "pass", "pass", dom))

# Personal and small-business mail with no authentication headers.
plain = [
  ("friend", '"Maya" <maya.k@fastmail.example>', "Photos from the weekend", "Hey! Here are the photos from the hike. The view from the top was amazing.\n\nhttps://photos.app.goo.gl/abc123\n\nMaya"),
  ("landlord", '"Peter Hall" <peter.hall@homes.example>', "Boiler service on Monday", "Hi Alex,\n\nThe engineer will come on Monday morning to service the boiler. Please let me know if that doesn't suit.\n\nPeter"),
  ("club", '"Chess Club" <secretary@chessclub.example>', "Tournament this Saturday", "Dear members,\n\nThe autumn tournament is this Saturday at 10:00. Pairings will be posted on our website: https://chessclub.example/autumn\n\nSee you there!"),
  ("school", '"Escuela Primaria Sol" <secretaria@escuelasol.example>', "Excursión del jueves", "Estimadas familias,\n\nEl jueves iremos al museo de ciencias. Recuerden enviar la autorización firmada.\n\nUn saludo"),
  ("plumber", '"Martins Canalizações" <geral@martinscanal.example>', "Orçamento pedido", "Bom dia,\n\nSegue o orçamento pedido para a reparação. Qualquer dúvida, estamos ao dispor.\n\nCumprimentos"),
  ("mum", '"Mum" <jane.morgan@gmail.com>', "Sunday dinner", "Hi love, are you coming on Sunday? Dad is making his lasagne. Let me know!\nxx"),
]
for slug, frm, subj, body in plain:
    write(K, "plain-" + slug, frm, subj, text=body)

# Attachments from known people.
write(K, "attach-pdf", '"Rita Gomez" <rita.gomez@example-corp.com>', "Q3 report draft",
      text="Hi Alex,\n\nAttached is the Q3 report draft. Comments welcome by Friday.\n\nRita", attach=[("Q3_report_draft.pdf", "application/pdf", b"%PDF-1.7\n" + b"x" * 3000)],
      ar=auth("pass", "pass", "pass", "example-corp.com"))
write(K, "attach-zip-photos", '"Maya" <maya.k@fastmail.example>', "The photos as a zip",
      text="As promised, all the photos in one zip.", attach=[("hike_photos.zip", "application/zip", zipped([("IMG_001.jpg", b"\xff\xd8\xff" + b"1" * 500), ("IMG_002.jpg", b"\xff\xd8\xff" + b"2" * 500)]))])
write(K, "attach-xlsx", '"Fin Chen" <fin.chen@example-corp.com>', "Budget spreadsheet",
      text="Here's the budget spreadsheet for next year.", attach=[("Budget_2027.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", zipped([("xl/workbook.xml", b"<workbook/>")]))],
      ar=auth("pass", "pass", "pass", "example-corp.com"))

# Tickets with a QR code (genuine, aligned).
write(K, "qr-ticket", '"Eventim" <tickets@eventim.example>', "Your tickets for Saturday",
      html=page("<p>Here are your tickets. Show the QR code at the entrance; you can scan it from your phone.</p><img src='cid:qr1'>"),
      attach=[("ticket-qr.png", "image/png", PNG)], ar=auth("pass", "pass", "pass", "eventim.example"))
write(K, "qr-boarding", '"Iberia" <confirmacion@iberia.com>', "Su tarjeta de embarque",
      text="Adjuntamos su tarjeta de embarque. Presente el código QR en el control de seguridad.", attach=[("boarding.png", "image/png", PNG)],
      ar=auth("pass", "pass", "pass", "iberia.com"))

# Mailing lists (return path and sender differ, no DMARC alignment).
for slug, subj, body in [("golang", "[golang-nuts] Question about generics", "Has anyone tried type inference with nested generics? Example at https://go.dev/play/p/abc"),
                         ("debian", "[debian-user] Upgrade to trixie went fine", "Just a note that my upgrade went fine. Thanks to all."),
                         ("hoa", "[residents] Parking reminder", "Reminder: street cleaning on Tuesday, please move cars.")]:
    write(K, "list-" + slug, '"A. Contributor" <contrib@uni.example>', subj, text=body + "\n",
          headers=[("List-Id", "<%s.lists.example>" % slug), ("List-Unsubscribe", "<mailto:leave-%s@lists.example>" % slug)],
          return_path="%s-bounces@lists.example" % slug, ar=auth("pass", "none", "none", "uni.example", mailfrom="lists.example"))

# Genuine services that also ask to sign in or mention security.
write(K, "docusign-real", '"Rita Gomez via DocuSign" <dse@docusign.net>', "Please DocuSign: Supplier agreement",
      html=page("<p>Rita Gomez sent you a document to review and sign.</p><p><a href='https://na3.docusign.net/Signing/EmailStart.aspx?a=abc'>REVIEW DOCUMENT</a></p>"),
      ar=auth("pass", "pass", "pass", "docusign.net"))
write(K, "bank-statement-real", '"Santander" <avisos@santander.es>', "Su extracto mensual está disponible",
      html=page("<p>Su extracto de octubre ya está disponible en la banca online. Por su seguridad, nunca le pediremos sus claves por correo.</p><p><a href='https://www.bancosantander.es/particulares'>Banca online</a></p>"),
      ar=auth("pass", "pass", "pass", "santander.es"))
write(K, "linkedin-real", '"LinkedIn" <messages-noreply@linkedin.com>', "You appeared in 12 searches this week",
      html=page("<p>You appeared in 12 searches this week.</p><p><a href='https://www.linkedin.com/me/search-appearances'>See all searches</a></p><p><a href='https://www.linkedin.com/comm/psettings/email-unsubscribe'>Unsubscribe</a></p>"),
      ar=auth("pass", "pass", "pass", "linkedin.com"), headers=LU)
write(K, "hr-benefits-real", '"People Team" <people@example-corp.com>', "Open enrolment closes Friday",
      html=page("<p>Reminder: benefits open enrolment closes this Friday. Sign in to the HR portal to make your choices.</p><p><a href='https://hr.example-corp.com/benefits'>HR portal</a></p>"),
      ar=auth("pass", "pass", "pass", "example-corp.com"))

# Genuine mail about what scams are also about (issue 16): crypto, points,
# parcels, from the brand's own authenticated domain; and a modern
# newsletter with a short hidden preheader and a picture-led layout.
write(K, "coinbase-real", '"Coinbase" <no-reply@coinbase.com>', "Your withdrawal is complete",
      html=page("<p>Your withdrawal of 0.0100 BTC to your external wallet is complete.</p><p>If you did not make this withdrawal, lock your account from the Coinbase app.</p><p><a href='https://www.coinbase.com/settings/security'>Security settings</a></p>"),
      ar=auth("pass", "pass", "pass", "coinbase.com"))
write(K, "miles-real", '"Iberia Plus" <iberiaplus@iberia.com>', "Tus Avios caducan pronto",
      html=page("<p>Hola Alex, tus puntos caducan el 31 de diciembre. Canjea tus Avios por vuelos o por una tarjeta regalo.</p><p><a href='https://www.iberia.com/es/iberia-plus/'>Canjear mis Avios</a></p>"),
      ar=auth("pass", "pass", "pass", "iberia.com"), headers=LU)
write(K, "postnl-real", '"PostNL" <noreply@postnl.nl>', "Uw pakket komt morgen",
      html=page("<p>Uw pakket van Bol.com komt morgen tussen 14:00 en 16:30. Bezorgpoging gemist? We proberen het de volgende dag opnieuw.</p><p>Track &amp; Trace: <a href='https://jouw.postnl.nl/track-and-trace/3SABCD123456789'>3SABCD123456789</a></p>"),
      ar=auth("pass", "pass", "pass", "postnl.nl"))
write(K, "newsletter-preheader", '"Patagonia" <news@e.patagonia.com>', "New in: winter layers",
      html=page("<span style='display:none;max-height:0;overflow:hidden'>Warm layers for cold days, made to last.</span><a href='https://www.patagonia.com/shop/new'><img src='https://www.patagonia.com/hero.jpg' alt='Winter layers'></a><p>Our winter layers are here: recycled down, repairable, and built for years of use.</p><p><a href='https://www.patagonia.com/shop/new'>Shop new arrivals</a> · <a href='https://www.patagonia.com/unsubscribe'>Unsubscribe</a></p>"),
      ar=auth("pass", "pass", "pass", "e.patagonia.com"), headers=LU)
