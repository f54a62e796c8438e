# Phishing scenarios (exec'd by make_eval.py). Each call writes one message.
K = "phish"

# 1. Brand credential pages: brand display name, look-alike or unrelated link.
creds = [
  ("paypal", "PayPal", "service@paypa1-support.com", "Your account access has been limited", "en",
   "We noticed unusual activity on your PayPal account. To restore full access, verify your account within 24 hours.", "https://paypa1-support.com/signin/restore", "Restore access"),
  ("microsoft", "Microsoft 365", "no-reply@rnicrosoft-online.com", "Action required: your password expires today", "en",
   "The password for alex.morgan@example-corp.com expires today. Keep the same password by confirming below.", "https://rnicrosoft-online.com/owa/keep", "Keep my password"),
  ("apple", "Apple", "facture@apple-id-assistance.fr", "Votre identifiant Apple a été verrouillé", "fr",
   "Votre identifiant Apple a été bloqué pour des raisons de sécurité. Veuillez vérifier votre compte sous 24 heures, sinon il sera supprimé.", "https://apple-id-assistance.fr/verifier", "Vérifier maintenant"),
  ("amazon", "Amazon", "konto@amaz0n-kundenservice.de", "Ihr Konto wurde vorübergehend gesperrt", "de",
   "Wir haben ungewöhnliche Aktivität festgestellt. Bitte bestätigen Sie Ihre Daten umgehend, sonst wird Ihr Konto geschlossen.", "https://amaz0n-kundenservice.de/konto", "Jetzt bestätigen"),
  ("netflix", "Netflix", "facturacion@netflix-pagos.com", "Tu suscripción ha sido suspendida", "es",
   "No pudimos procesar tu último pago. Actualiza tus datos de pago hoy mismo para evitar la cancelación.", "http://netflix-pagos.com/es/pago", "Actualizar pago"),
  ("santander", "Santander", "alertas@santander-seguranca.com.br", "Sua conta foi bloqueada", "pt",
   "Detectamos atividade suspeita na sua conta. Atualize seus dados imediatamente para evitar o bloqueio definitivo.", "https://santander-seguranca.com.br/acesso", "Acessar minha conta"),
  ("bbva", "BBVA Seguridad", "avisos@bbva-clientes.net", "Aviso: actividad inusual en su cuenta", "es",
   "Estimado cliente, hemos detectado actividad inusual. Verifique su cuenta de inmediato o será bloqueada.", "https://bbva-clientes.net/validar", "Validar"),
  ("docusign", "DocuSign", "dse@docusign-mail.net", "Please review and sign: Q4 Bonus Allocation", "en",
   "Human Resources sent you a document to review and sign. Sign in to view the document.", "https://docusign-mail.net/review", "REVIEW DOCUMENT"),
  ("wellsfargo", "Wells Fargo Online", "alerts@wellsfargo-secure.info", "Unauthorized sign-in attempt", "en",
   "We detected an unauthorized sign-in attempt. Confirm your identity now to avoid your account being suspended.", "https://wellsfargo-secure.info/verify", "Confirm identity"),
  ("linkedin", "LinkedIn", "messages@linkedln-mail.com", "You have 3 new messages", "en",
   "You have 3 pending messages from recruiters. Log in to view them before they expire.", "https://linkedln-mail.com/inbox", "View messages"),
]
for slug, name, addr, subj, lang, body, url, label in creds:
    dom = addr.split("@")[1]
    write(K, "cred-" + slug, '"%s" <%s>' % (name, addr), subj,
          html=page("<p>%s</p><p>%s</p><p><a href='%s'>%s</a></p><p>%s</p>" % (
              {"en": "Dear customer,", "fr": "Cher client,", "de": "Sehr geehrter Kunde,", "es": "Estimado cliente,", "pt": "Prezado cliente,"}[lang],
              body, url, label, name)),
          ar=auth("softfail", "none", "none", dom), ip="185.220.101.%d" % (len(slug)))

# 2. Link text shows the real site, the link goes elsewhere (no auth headers: old relays).
mismatch = [
  ("office", "Office 365 Mail", "admin@mailserver-notify.com", "Mailbox storage full",
   "Your mailbox is full and new messages are on hold. Restore your storage:", "https://outlook.office.com/mail", "https://greenvalley-dental.com/wp-content/owa/index.php"),
  ("chase", "Chase", "service@chaseonline-alerts.com", "Your statement is ready",
   "Your statement is available. Sign in to review recent transactions:", "https://www.chase.com/statements", "http://198.51.100.23/chase/login.php"),
  ("ups", "UPS", "tracking@ups-notices.top", "UPS: delivery attempt failed",
   "We could not deliver your parcel. Reschedule delivery here:", "https://www.ups.com/track", "https://ups-notices.top/reschedule?id=1Z999"),
  ("dropbox", "Dropbox", "no-reply@dropbox-share.online", "Jordan shared \"Payroll 2026.xlsx\" with you",
   "Jordan shared a file with you. Open the file:", "https://www.dropbox.com/s/payroll", "https://drop-files-view.web.app/s/payroll"),
  ("ing", "ING", "service@ing-kundenportal.de", "Wichtig: Bestätigen Sie Ihre Daten",
   "Sehr geehrter Kunde, bitte bestätigen Sie Ihre Daten innerhalb von 24 Stunden:", "https://www.ing.de/login", "https://ing-kundenportal.de/anmeldung"),
  ("laposte", "La Poste", "suivi@colis-laposte-info.com", "Votre colis est en attente",
   "Votre colis n'a pas pu être livré. Des frais de 1,99 EUR sont à régler sous 24h :", "https://www.laposte.fr/suivi", "https://colis-laposte-info.com/paiement"),
]
for slug, name, addr, subj, body, shown, real in mismatch:
    write(K, "mismatch-" + slug, '"%s" <%s>' % (name, addr), subj,
          html=page("<p>%s</p><p><a href='%s'>%s</a></p>" % (body, real, shown)), ip="45.133.1.%d" % len(slug))

# 3. BEC: invoice and payroll fraud with a Reply-To elsewhere.
bec = [
  ("ceo-wire", '"Dana Whitfield" <dana.whitfield@example-corp.co>', "dana.whitfield.ceo@gmail.com", "Urgent wire transfer",
   "Hi Alex,\n\nI need you to process a wire transfer today for a confidential acquisition. Keep this between us until it is announced. Reply with the time you can send it.\n\nDana\nSent from my iPhone"),
  ("vendor-bank", '"Accounts Receivable" <billing@northwind-supplies.com>', "northwind.accounts@outlook.com", "Updated bank details for outstanding invoice",
   "Hello,\n\nPlease note our bank details have changed. Kindly make the payment for the overdue invoice INV-20931 to our new bank account:\nIBAN: GB33BUKB20201555555555\n\nThank you,\nAccounts Receivable"),
  ("payroll", '"Alex Morgan" <alex.morgan@example-corp.com>', "alex.morgan.pay@proton.me", "Direct deposit change",
   "Hi Payroll team,\n\nI changed banks. Please update my direct deposit to the new account before the next payroll run. I can send the routing number once you confirm.\n\nThanks"),
  ("es-transfer", '"Carlos Ruiz (Director General)" <c.ruiz@example-corp-es.com>', "carlos.ruiz.direccion@gmail.com", "Transferencia urgente y confidencial",
   "Hola,\n\nNecesito que realices una transferencia bancaria urgente hoy mismo. Es un asunto confidencial, no lo comentes con nadie. Te envío los datos bancarios en cuanto me confirmes.\n\nCarlos"),
  ("pt-fatura", '"Financeiro Fornecedor" <financeiro@fornecedor-lusitano.pt>', "financeiro.lusitano@outlook.com", "Fatura vencida - novos dados bancários",
   "Bom dia,\n\nInformamos a mudança de conta. Por favor, efetue a transferência bancária da fatura vencida para a nova conta bancária abaixo, o mais rápido possível.\n\nObrigado"),
  ("fr-rib", '"Service Comptabilité" <compta@fournisseur-lyon.fr>', "compta.fournisseurlyon@gmail.com", "Changement de RIB - facture impayée",
   "Bonjour,\n\nSuite à un changement de compte, merci d'effectuer le virement de la facture impayée sur notre nouveau compte bancaire. Vous trouverez l'IBAN ci-dessous.\n\nCordialement"),
  ("de-rechnung", '"Buchhaltung Müller GmbH" <buchhaltung@mueller-gmbh.de>', "mueller.buchhaltung@gmx.net", "Neue Bankverbindung - offene Rechnung",
   "Guten Tag,\n\nbitte beachten Sie unsere neue Bankverbindung. Bitte veranlassen Sie die Überweisung der offenen Rechnung umgehend auf das neue Konto.\n\nMit freundlichen Grüßen"),
  ("giftcards", '"Dana Whitfield" <dana.whitfield.office@gmail.com>', None, "Quick favor",
   "Are you at your desk? I need you to buy 5 Apple gift cards for a client today. I'm in a meeting and can't talk. Scratch the back and send me the codes.\n\nDana"),
  ("giftcards-es", '"Marta Gil" <marta.gil.directora@gmail.com>', None, "¿Estás disponible?",
   "Necesito un favor urgente: compra cuatro tarjetas regalo de Google Play para un cliente. Estoy en una reunión, no puedo hablar. Envíame los códigos por aquí."),
]
for slug, frm, rt, subj, body in bec:
    dom = frm.split("@")[1].strip(">")
    write(K, "bec-" + slug, frm, subj, text=body, reply_to=rt,
          ar=auth("pass", "pass", "pass" if "gmail" in dom else "none", dom), ip="102.89.3.%d" % len(slug))

# 4. Parcel lures with shorteners or risky domains.
parcel = [
  ("dhl-de", '"DHL Paket" <noreply@dhl-zustellung.info>', "Ihre Sendung konnte nicht zugestellt werden", "Ihre Sendung wartet. Zustellung fehlgeschlagen: bitte Zollgebühr von 2,49 EUR zahlen:", "https://bit.ly/3xDhLp4"),
  ("usps", '"USPS" <info@usps-redelivery.click>', "USPS: Your package is on hold", "Your package could not be delivered due to an incomplete address. Update your address within 48 hours:", "https://usps-redelivery.click/update"),
  ("correos", '"Correos" <notificacion@correos-envios.top>', "Su envío está retenido", "Su paquete no pudo ser entregado. Pague 1,79 EUR de tasas de aduana en 24 horas:", "https://tinyurl.com/correos-pago"),
  ("ctt", '"CTT Expresso" <avisos@ctt-entregas.xyz>', "A sua encomenda aguarda pagamento", "A entrega falhou. Pague a taxa alfandegária de 1,99 EUR nas próximas 24 horas:", "https://ctt-entregas.xyz/pagar"),
  ("royalmail", '"Royal Mail" <noreply@royalmail-fee.com>', "Royal Mail: a fee is due on your parcel", "Your parcel is on hold until a 1.45 GBP shipping fee is paid. Pay now, or it will be returned:", "https://cutt.ly/rm-fee"),
  ("fedex", '"FedEx Delivery" <delivery@fedex-shipping-center.com>', "FedEx: Delivery failed - action required", "Delivery failed. Confirm your address and pay the redelivery fee immediately:", "http://185.199.110.50/fedex/confirm"),
]
for slug, frm, subj, body, url in parcel:
    write(K, "parcel-" + slug, frm, subj, html=page("<p>%s</p><p><a href='%s'>%s</a></p>" % (body, url, url)),
          ar=auth("fail", "none", "fail", frm.split("@")[1].strip(">")), ip="91.92.240.%d" % len(slug))

# 5. MFA lures on free hosting.
mfa = [
  ("approve", '"IT Service Desk" <servicedesk@corp-it-support.com>', "MFA re-enrollment required",
   "Our multi-factor authentication is being upgraded. Re-register your authenticator within 24 hours or you will be locked out.", "https://corp-mfa-enroll.pages.dev/start"),
  ("code", '"Security Team" <security@account-protect.net>', "Unusual sign-in: verification code needed",
   "We blocked an unusual sign-in. Enter the verification code we sent to your phone immediately to keep access.", "https://account-protect-verify.workers.dev/"),
  ("de", '"IT-Abteilung" <it@firmen-portal-support.de>', "Zwei-Faktor-Authentifizierung läuft ab",
   "Ihre Zwei-Faktor-Authentifizierung läuft ab. Bitte sofort neu einrichten, sonst wird Ihr Konto gesperrt.", "https://mfa-update.netlify.app/de"),
  ("fr", '"Service informatique" <support@helpdesk-entreprise.fr>', "Double authentification : action requise",
   "Votre double authentification expire. Connectez-vous sans délai pour la réactiver, sinon votre compte sera bloqué.", "https://auth-entreprise.glitch.me/"),
]
for slug, frm, subj, body, url in mfa:
    write(K, "mfa-" + slug, frm, subj, html=page("<p>%s</p><p><a href='%s'>Continue</a></p>" % (body, url)),
          ar=auth("pass", "pass", "pass", frm.split("@")[1].strip(">")))

# 6. QR code lures: an image and a "scan the code" cue (authentication passes: attacker-owned domain).
qr = [
  ("en-mfa", '"Microsoft Authenticator" <no-reply@secure-docs-portal.com>', "Action required: scan to keep access", "Your authenticator must be re-validated. Scan the QR code below with your phone camera within 24 hours."),
  ("en-payroll", '"HR Department" <hr@benefits-portal-update.com>', "2026 salary adjustment - scan to view", "Your salary increase letter is ready. Scan the QR code with your phone to review the document."),
  ("fr", '"Support technique" <support@portail-securite.fr>', "Mise à jour de sécurité obligatoire", "Scannez le code QR ci-joint avec l'appareil photo de votre téléphone pour confirmer votre compte."),
  ("de", '"IT Support" <support@konto-pruefung.de>', "Ihr Konto muss bestätigt werden", "Bitte den QR-Code scannen und Ihr Konto verifizieren. Andernfalls wird es innerhalb von 24 Stunden gesperrt."),
  ("es", '"Soporte técnico" <soporte@verificacion-cuentas.es>', "Verificación obligatoria de su cuenta", "Escanee el código QR adjunto con la cámara de su teléfono para verificar su cuenta hoy mismo."),
]
for slug, frm, subj, body in qr:
    write(K, "qr-" + slug, frm, subj, text=body, attach=[("code.png", "image/png", PNG)],
          ar=auth("pass", "pass", "pass", frm.split("@")[1].strip(">")))

# 7. HTML attachments: smuggling and credential forms.
htmlatt = [
  ("smuggle-invoice", '"Billing" <billing@invoices-online.net>', "Invoice #88213 attached", "Please find the invoice attached. Open it in your browser.", "Invoice_88213.html", SMUGGLE),
  ("smuggle-voicemail", '"Voicemail" <voicemail@callcenter-msg.com>', "You have a new voicemail (0:42)", "You have a new voice message. Open the attachment to listen.", "Voicemail_0042.htm", SMUGGLE),
  ("smuggle-svg", '"Fax Service" <fax@efax-delivery.com>', "New fax document", "A new fax document was received.", "fax_document.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>eval(atob('ZG9jdW1lbnQ='));window.location='https://fax-view.pages.dev/?e=alex'</script></svg>"),
  ("form-remit", '"Accounts" <accounts@remit-advice.com>', "Remittance advice", "Payment remittance advice attached.", "Remittance_Advice.html", LOGIN_PAGE % ("Microsoft Excel Online", "https://collect-remit.ru/post.php")),
  ("form-shared", '"SharePoint" <sharepoint@filesharing-alerts.com>', "Alex shared 'Q3 Budget' with you", "View the shared document attached.", "Q3_Budget.shtml", LOGIN_PAGE % ("Sign in to view", "https://login-share.top/a.php")),
  ("smuggle-es", '"Facturación" <facturas@envio-facturas.es>', "Factura pendiente de pago", "Adjuntamos la factura pendiente. Ábrala en su navegador.", "Factura_2026.html", SMUGGLE),
]
for slug, frm, subj, body, fname, doc in htmlatt:
    write(K, "htmlatt-" + slug, frm, subj, text=body, attach=[(fname, "text/html", doc)],
          ar=auth("none", "none", "none", frm.split("@")[1].strip(">")))

# 8. Risky attachments.
risky = [
  ("iso", "Shipping documents", "Please see the shipping documents attached.", "DHL_Documents.iso", "application/octet-stream"),
  ("exe", "Payment confirmation", "Payment confirmation is attached.", "Payment_Confirmation.exe", "application/octet-stream"),
  ("js", "Scanned document", "Scanned document attached.", "Scan_0931.js", "application/javascript"),
  ("lnk", "Contract draft", "Contract draft attached for your review.", "Contract_Draft.lnk", "application/octet-stream"),
  ("one", "Meeting notes", "Notes from our meeting, open the attachment.", "Meeting_Notes.one", "application/onenote"),
  ("double", "Invoice overdue", "The invoice is overdue, pay immediately.", "Invoice_2026.pdf.exe", "application/octet-stream"),
  ("img", "Pedido de compra", "Segue em anexo o pedido de compra. Urgente.", "Pedido_4411.img", "application/octet-stream"),
  ("macro", "Rechnung", "Anbei die Rechnung. Bitte Inhalte aktivieren.", "Rechnung_4471.docm", "application/vnd.ms-word.document.macroEnabled.12"),
]
for slug, subj, body, fname, ctype in risky:
    write(K, "attach-" + slug, '"Accounts Team" <accounts@ship-docs-%s.com>' % slug, subj, text=body,
          attach=[(fname, ctype, b"MZ\x90\x00" + slug.encode() * 200)], ar=auth("softfail", "none", "none", "ship-docs-%s.com" % slug))

# 9. Archives.
archives = [
  ("encrypted", "Secure invoice", "The invoice is in the attached secure archive. The password is 4471.", "Invoice_4471.zip", zipped([("Invoice_4471.pdf", b"%PDF-1.4 x")], True)),
  ("encrypted-de", "Rechnung (passwortgeschützt)", "Die Rechnung liegt im Anhang. Passwort: 2026", "Rechnung.zip", zipped([("Rechnung.pdf.js", b"WScript.Shell")], True)),
  ("js-inside", "Order details", "Order details attached.", "Order_details.zip", zipped([("Order_details.js", b"var s=new ActiveXObject('WScript.Shell');")])),
  ("lnk-inside", "Documentos", "Documentos adjuntos, urgente.", "Documentos.zip", zipped([("Documentos.pdf.lnk", b"L\x00\x00\x00")])),
  ("html-inside", "Factura", "Voir la facture en pièce jointe.", "Facture.zip", zipped([("Facture.html", SMUGGLE.encode())])),
]
for slug, subj, body, fname, data in archives:
    write(K, "zip-" + slug, '"Billing" <billing@docs-%s.net>' % slug, subj, text=body,
          attach=[(fname, "application/zip", data)])

# 10. Punycode look-alikes.
write(K, "puny-paypal", '"PayPal" <service@xn--pypal-4ve.com>', "Confirm your recent payment",
      html=page("<p>Confirm your recent payment of 499.00 USD or dispute it here: <a href='https://xn--pypal-4ve.com/dispute'>Resolution Center</a></p>"),
      ar=auth("pass", "pass", "pass", "xn--pypal-4ve.com"))
write(K, "puny-apple", '"Apple Support" <support@xn--80ak6aa92e.com>', "Your Apple ID was used to sign in",
      html=page("<p>Your Apple ID was used to sign in on a new device. If this was not you, secure your account: <a href='https://xn--80ak6aa92e.com/secure'>Secure account</a></p>"))

# 11. Mailbox and password lures from an outside "IT".
it = [
  ("en", '"IT Helpdesk" <helpdesk@mail-quota-services.com>', "Mailbox quota exceeded", "Your mailbox storage is full. Validate your account to increase your quota:", "https://mail-quota-services.com/upgrade"),
  ("es", '"Soporte TI" <soporte@buzon-correo-admin.com>', "Su buzón está lleno", "Su buzón lleno no recibirá mensajes. Inicie sesión para ampliar el espacio:", "https://buzon-correo-admin.com/ampliar"),
  ("pt", '"Suporte TI" <suporte@caixa-postal-admin.com.br>', "Sua senha expira hoje", "Sua senha expira hoje. Faça login para manter a mesma senha:", "https://caixa-postal-admin.com.br/senha"),
  ("de", '"IT-Abteilung" <it@postfach-verwaltung.de>', "Ihr Passwort läuft heute ab", "Ihr Passwort läuft heute ab. Melden Sie sich an, um es zu behalten:", "https://postfach-verwaltung.de/passwort"),
]
for slug, frm, subj, body, url in it:
    write(K, "itlure-" + slug, frm, subj, html=page("<p>%s</p><p><a href='%s'>%s</a></p>" % (body, url, url)),
          ar=auth("pass", "pass", "pass", frm.split("@")[1].strip(">")))

# 12. Hard cases: compromised or clean-looking senders.
write(K, "hard-docshare", '"Jamie Fox via Docs" <jfox@brightline-consulting.com>', "Jamie shared \"Signed agreement.pdf\" with you",
      html=page("<p>Jamie Fox shared a document with you.</p><p><a href='https://brightline-docs.firebaseapp.com/view'>Open</a></p><p>Sign in with your email account to view.</p>"),
      ar=auth("pass", "pass", "pass", "brightline-consulting.com"))
write(K, "hard-hr-policy", '"Human Resources" <hr-notices@staff-benefit-portal.com>', "Updated handbook - acknowledge today",
      html=page("<p>All employees must review and acknowledge the updated employee handbook today. Log in to the staff portal to confirm.</p><p><a href='https://staff-benefit-portal.com/login'>Staff portal</a></p>"),
      ar=auth("pass", "pass", "pass", "staff-benefit-portal.com"))
write(K, "hard-reply-chain", '"Priya Natarajan" <p.natarajan@tri-county-logistics.com>', "RE: Outstanding payment",
      text="Hi,\n\nFollowing up on the outstanding invoice. Our bank details have changed, please make the payment to the new account today. I attached the updated remittance form.\n\nRegards,\nPriya",
      reply_to="priya.natarajan.finance@outlook.com", ar=auth("pass", "pass", "pass", "tri-county-logistics.com"))
write(K, "hard-textonly-link", '"Account Services" <notice@member-services-online.com>', "Notice of account closure",
      text="Dear member,\n\nYour account will be closed within 48 hours due to unusual activity. To keep your account, verify your identity here:\nhttp://member-services-online.com.verify-id.live/login\n\nAccount Services")
write(K, "hard-sharepoint-onmicrosoft", '"SharePoint Online" <noreply@contoso4471.onmicrosoft.com>', "Contract documents for review",
      html=page("<p>You have received contract documents for review.</p><p><a href='https://contoso4471-my.sharepoint.com.review-docs.icu/x'>Review documents</a></p>"),
      ar=auth("pass", "pass", "pass", "contoso4471.onmicrosoft.com"))
write(K, "hard-tax-refund", '"HMRC" <refunds@hmrc-tax-refund.co.uk>', "You are eligible for a tax refund",
      html=page("<p>After the last annual calculation you are eligible to receive a tax refund of 264.80 GBP. Claim your refund within 5 days:</p><p><a href='https://hmrc-tax-refund.co.uk/claim'>Claim refund</a></p>"))
write(K, "hard-voicemail-link", '"Voice Services" <voicemail@cloudvoice-alerts.com>', "New voice message from +1 (415) 555-0182",
      html=page("<p>You have a new voice message (0:37).</p><p><a href='https://s.id/vm-0037'>Play message</a></p>"),
      ar=auth("pass", "pass", "pass", "cloudvoice-alerts.com"))
