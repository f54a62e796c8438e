# Held-out scenarios: written before tuning, never used to tune.
K = "heldout/phish"
write(K, "coinbase", '"Coinbase Support" <support@coinbase-wallet-verify.com>', "Withdrawal request pending",
      html=page("<p>A withdrawal of 0.42 BTC is pending. If you did not request this, cancel it immediately by signing in:</p><p><a href='https://coinbase-wallet-verify.com/cancel'>Cancel withdrawal</a></p>"))
write(K, "steam-gift", '"Steam" <noreply@steamcornmunity.com>', "You received a gift",
      html=page("<p>A friend sent you a gift! Log in to claim your reward.</p><p><a href='https://steamcornmunity.com/gift/claim'>https://steamcommunity.com/gift</a></p>"))
write(K, "adobe-share", '"Adobe Acrobat" <share@acrobat-docs-cloud.com>', "Document shared with you: Purchase Order",
      html=page("<p>A purchase order was shared with you via Adobe Acrobat. View document:</p><p><a href='https://acrobat-view.r2.dev/po.html'>View PDF</a></p>"))
write(K, "irs-refund", '"IRS" <refund@irs-gov-refunds.org>', "Tax refund notification",
      html=page("<p>You are eligible for a tax refund of $812.00. Submit the form within 3 days to claim your refund.</p><p><a href='https://irs-gov-refunds.org/form'>Claim</a></p>"))
write(K, "ceo-es", '"Javier Ortega" <javier.ortega.ceo@outlook.com>', "Pago confidencial",
      text="Hola,\n\nNecesito que hagas una transferencia bancaria hoy. Es confidencial. Responde cuando puedas y te paso los datos bancarios.\n\nJavier")
write(K, "vendor-iban-fr", '"Comptabilité Fournitures" <compta@fournitures-bureau.fr>', "Nouveau RIB",
      text="Bonjour,\n\nNos coordonnées bancaires ont changé. Merci d'utiliser le nouveau RIB ci-joint pour le règlement de la facture en attente.\n\nCordialement",
      reply_to="fournitures.bureau.compta@gmail.com")
write(K, "qr-pt", '"Recursos Humanos" <rh@portal-colaborador.com.br>', "Atualização obrigatória de benefícios",
      text="Escaneie o código QR em anexo com a câmera do seu celular para atualizar seus benefícios até amanhã.", attach=[("beneficios.png", "image/png", PNG)])
write(K, "html-att-de", '"Zahlungsavis" <avis@zahlungen-online.de>', "Zahlungsavis",
      text="Anbei das Zahlungsavis.", attach=[("Zahlungsavis.html", "text/html", SMUGGLE)])
write(K, "rar-exe", '"Logistics" <ops@freight-notice.com>', "Bill of lading", text="Bill of lading attached, urgent.",
      attach=[("BL_2026.exe", "application/octet-stream", b"MZ" + b"\x00" * 400)])
write(K, "zip-pwd-es", '"Facturas" <facturas@empresa-envios.es>', "Factura protegida", text="Factura adjunta. Contraseña: 1234",
      attach=[("Factura.zip", "application/zip", zipped([("Factura.pdf", b"%PDF")], True))])
write(K, "mailbox-fr", '"Administrateur messagerie" <admin@messagerie-quota.fr>', "Votre boîte aux lettres est pleine",
      html=page("<p>Votre boîte aux lettres pleine ne peut plus recevoir de messages. Connectez-vous pour augmenter l'espace :</p><p><a href='https://messagerie-quota.fr/login'>Connexion</a></p>"))
write(K, "teams-mismatch", '"Microsoft Teams" <noreply@teams-chat-notify.com>', "You have missed messages in Teams",
      html=page("<p>You have 4 unread messages. Reply now:</p><p><a href='https://teams-notify.vercel.app/chat'>https://teams.microsoft.com/chat</a></p>"))
write(K, "dhl-es", '"DHL Express" <envios@dhl-express-aduanas.com>', "Su paquete está retenido en aduanas",
      html=page("<p>Su paquete está retenido. Pague 2,99 EUR de aduanas en 24 horas para evitar la devolución:</p><p><a href='https://rb.gy/dhl-aduana'>Pagar</a></p>"))
write(K, "giftcard-fr", '"Claire Petit" <claire.petit.dg@gmail.com>', "Service rapide",
      text="Bonjour, j'ai besoin que vous achetiez des cartes cadeaux pour des clients, c'est urgent. Je suis en réunion, je ne peux pas parler. Envoyez-moi les codes.")
write(K, "ip-link-de", '"Sparkasse" <info@sparkasse-sicherheit.net>', "Sicherheitswarnung: Konto gesperrt",
      html=page("<p>Ihr Konto wurde gesperrt. Bitte bestätigen Sie Ihre Identität:</p><p><a href='http://193.42.33.7/sparkasse/'>Jetzt entsperren</a></p>"))
write(K, "paypal-dmarc-fail", '"PayPal" <service@paypal.com>', "Receipt for your payment",
      html=page("<p>You sent $399.99 to GameStop. Not you? Call us or dispute: <a href='https://paypal-resolution-center.support/dispute'>Dispute</a></p>"),
      ar=auth("fail", "fail", "fail", "paypal.com", mailfrom="mailer.ru"))
write(K, "lnk-zip", '"HR" <hr@staff-docs.net>', "Salary review 2026", text="Your salary review document is attached.",
      attach=[("Salary_Review.zip", "application/zip", zipped([("Salary_Review.pdf.lnk", b"L\x00")]))])
write(K, "onedrive-pt", '"OneDrive" <onedrive@compartilhamento-arquivos.com>', "Arquivo compartilhado com você",
      html=page("<p>Um arquivo foi compartilhado com você. Faça login para visualizar.</p><p><a href='https://onedrive-share.weebly.com/'>Abrir</a></p>"))
write(K, "payroll-de", '"Max Becker" <max.becker@example-corp.com>', "Änderung Gehaltskonto",
      text="Hallo,\n\nbitte ändern Sie mein Gehaltskonto vor der nächsten Abrechnung. Die neue Bankverbindung schicke ich gleich.\n\nMax",
      reply_to="max.becker.privat@web.de", ar=auth("fail", "none", "fail", "example-corp.com"))
write(K, "svg-att", '"Voice Mail" <vm@phone-system-alerts.com>', "Voice message received", text="Listen to your voice message attached.",
      attach=[("Voice_Message.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'><script>location.href='https://vm-listen.top/?u='+atob('YQ==')</script></svg>")])

K = "heldout/benign"
write(K, "netflix-real", '"Netflix" <info@mailer.netflix.com>', "New on Netflix this week",
      html=page("<p>New releases this week.</p><p><a href='https://www.netflix.com/browse'>Watch now</a></p><p><a href='https://www.netflix.com/unsubscribe'>Unsubscribe</a></p>"),
      ar=auth("pass", "pass", "pass", "mailer.netflix.com"), headers=LU)
write(K, "ikea-sale", '"IKEA" <news@ikea.com>', "Only 3 days left: kitchen event",
      html=page("<p>Hurry, only 3 days left! Offer ends Sunday.</p><p><a href='https://ikea.list-manage.com/track?u=1'>Shop kitchens</a></p>"),
      ar=auth("pass", "pass", "pass", "ikea.com"), headers=LU)
write(K, "internal-es", '"Lucía Martín" <lucia.martin@example-corp.com>', "Informe mensual", text="Hola Alex, te envío el informe mensual. Revísalo cuando puedas.\n\nLucía",
      ar=auth("pass", "pass", "pass", "example-corp.com"))
write(K, "internal-fr-thread", '"Marie Dubois" <marie.dubois@example-corp.com>', "RE: Budget séminaire", text="D'accord, on valide le budget.",
      headers=[("In-Reply-To", "<x1@example-corp.com>")], ar=auth("pass", "pass", "pass", "example-corp.com"))
write(K, "dpd-real", '"DPD" <noreply@dpd.de>', "Ihr Paket kommt morgen",
      html=page("<p>Ihr Paket 01234567890123 kommt morgen zwischen 10 und 12 Uhr.</p><p><a href='https://tracking.dpd.de/status/de_DE/parcel/01234567890123'>Sendungsverfolgung</a></p>"),
      ar=auth("pass", "pass", "pass", "dpd.de"))
write(K, "github-2fa", '"GitHub" <noreply@github.com>', "[GitHub] Your two-factor authentication recovery codes",
      html=page("<p>You recently downloaded your two-factor authentication recovery codes. Keep them in a safe place.</p><p><a href='https://github.com/settings/security'>Security settings</a></p>"),
      ar=auth("pass", "pass", "pass", "github.com"))
write(K, "dentist", '"Clínica Sorriso" <agenda@clinicasorriso.example>', "Lembrete de consulta", text="Olá! Lembramos a sua consulta na quinta-feira às 15h. Até breve.")
write(K, "conference-invite", '"DevConf Team" <team@devconf.example>', "Your ticket for DevConf 2026",
      html=page("<p>Your ticket is attached. Show the QR code at registration.</p>"), attach=[("ticket.png", "image/png", PNG)],
      ar=auth("pass", "pass", "pass", "devconf.example"))
write(K, "invoice-real", '"Hosting Co Billing" <billing@hostingco.example>', "Invoice HC-2026-1104 available",
      html=page("<p>Your invoice HC-2026-1104 for 12.00 EUR is available. It will be charged to your card on file.</p><p><a href='https://hostingco.example/billing'>View invoice</a></p>"),
      ar=auth("pass", "pass", "pass", "hostingco.example"))
write(K, "neighbour", '"Tom" <tom.r@outlook.com>', "Parcel for you", text="Hi, the postman left a parcel for you with us. Pop round whenever.\nTom")
write(K, "bank-alert-real", '"Barclays" <alerts@barclays.co.uk>', "Your payment has been sent",
      html=page("<p>You sent 50.00 GBP to J SMITH. If you don't recognise this, call us on the number on the back of your card.</p>"),
      ar=auth("pass", "pass", "pass", "barclays.co.uk"))
write(K, "zoom-real", '"Zoom" <no-reply@zoom.us>', "Your cloud recording is now available",
      html=page("<p>Your cloud recording is now available.</p><p><a href='https://example-corp.zoom.us/rec/share/abc'>View recording</a></p>"),
      ar=auth("pass", "pass", "pass", "zoom.us"))
write(K, "it-ticket", '"IT Service Desk" <servicedesk@example-corp.com>', "Ticket INC-4471 resolved",
      text="Hello Alex,\n\nYour ticket INC-4471 (printer on floor 3) has been resolved. Reply to this email if the problem continues.\n\nIT Service Desk",
      ar=auth("pass", "pass", "pass", "example-corp.com"))
write(K, "newsletter-de", '"Tagesspiegel Checkpoint" <checkpoint@newsletter.example>', "Checkpoint: Ihr Morgen-Briefing",
      html=page("<p>Guten Morgen!</p><p><a href='https://newsletter.sendgrid.net/ls/click?x=1'>Weiterlesen</a></p><p><a href='https://newsletter.sendgrid.net/ls/click?x=2'>www.newsletter.example</a></p>"),
      ar=auth("pass", "pass", "pass", "newsletter.example"), headers=LU)
write(K, "amazon-es", '"Amazon.es" <confirmar-envio@amazon.es>', "Tu pedido ha sido enviado",
      html=page("<p>Tu pedido 405-1234567 ha sido enviado y llegará mañana.</p><p><a href='https://www.amazon.es/gp/your-account/order-details'>Ver pedido</a></p>"),
      ar=auth("pass", "pass", "pass", "amazon.es"))
write(K, "colleague-zip", '"Jonas Weber" <jonas.weber@example-corp.com>', "Logs from yesterday", text="Hi, attached are the logs you asked for.",
      attach=[("logs.zip", "application/zip", zipped([("app.log", b"INFO start\n" * 50)]))], ar=auth("pass", "pass", "pass", "example-corp.com"))
write(K, "school-fr", '"Collège Jean Moulin" <vie.scolaire@college-jm.example>', "Réunion parents-professeurs", text="Madame, Monsieur,\n\nLa réunion parents-professeurs aura lieu le 14 novembre à 18h.\n\nLa vie scolaire")
write(K, "spotify-real", '"Spotify" <no-reply@spotify.com>', "Your receipt from Spotify",
      html=page("<p>Thanks for your payment of 10.99 EUR for Spotify Premium.</p><p><a href='https://www.spotify.com/account/subscription/receipt/'>View receipt</a></p>"),
      ar=auth("pass", "pass", "pass", "spotify.com"))
write(K, "charity-urgent", '"Food Bank" <hello@foodbank.example>', "Urgent appeal: help us restock before winter",
      html=page("<p>Our shelves are nearly empty. Please donate today if you can.</p><p><a href='https://foodbank.example/donate'>Donate</a></p>"),
      ar=auth("pass", "pass", "pass", "foodbank.example"), headers=LU)
write(K, "mailing-list-pt", '"Contribuidor" <contrib@universidade.example>', "[python-brasil] Dúvida sobre asyncio",
      text="Alguém já usou asyncio com sockets UDP? Exemplo: https://docs.python.org/3/library/asyncio.html\n",
      headers=[("List-Id", "<python-brasil.lists.example>")], return_path="python-brasil-bounces@lists.example")
