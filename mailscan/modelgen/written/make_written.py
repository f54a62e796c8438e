#!/usr/bin/env python3
"""Writes the written training set for mailscan's default model:
modern phishing/scam mail (phish/) and modern normal mail people report
by mistake (benign/), in seven languages.

Every sentence here was written by hand for Ally from general knowledge
of 2023-2026 mail; no corpus text was read or used. The set is separate
from the evaluation set in ../../testdata/eval and is never scored as
an evaluation. Run from this folder: python3 make_written.py. Output is
deterministic (fixed seed, fixed dates).
"""
import hashlib, os, random, shutil, sys
from datetime import datetime, timezone, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

OUT = os.path.dirname(os.path.abspath(__file__))
R = random.Random(20261207)
random.seed(7)  # the email package draws MIME boundaries from the global generator
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f0"
                    "5d0b0000000049454e44ae426082")

FIRST = ["Ana", "Bruno", "Carla", "Daan", "Eva", "Felix", "Giulia", "Hugo", "Ines", "Jonas", "Karin", "Luca",
         "Marta", "Noah", "Olga", "Pedro", "Rosa", "Sven", "Tiago", "Lea", "Marco", "Chloe", "Pablo", "Femke"]
LAST = ["Silva", "Meyer", "Rossi", "de Vries", "Garcia", "Martin", "Costa", "Janssen", "Weber", "Lopez",
        "Bernard", "Ferrari", "Bakker", "Schulz", "Moreau", "Santos"]
ORGS = ["northwind-labs.com", "brightpath.io", "keller-bau.de", "vanderberg-logistiek.nl", "casa-verde.pt",
        "ferramenta-rossi.it", "atelier-lumiere.fr", "grupo-solano.es", "helix-analytics.com", "fjordline-media.com"]
RAND_TLD = ["top", "xyz", "shop", "click", "online", "site", "icu", "live", "cfd", "sbs", "rest", "buzz"]
HOSTING = ["{r}.web.app", "{r}.firebaseapp.com", "{r}.pages.dev", "{r}.netlify.app", "{r}.vercel.app",
           "{r}.workers.dev", "{r}.glitch.me", "{r}.weebly.com", "{r}.wixsite.com/{r2}", "sites.google.com/view/{r}",
           "{r}.blob.core.windows.net/{r2}", "storage.googleapis.com/{r}", "pub-{r}{r2}.r2.dev",
           "{r}.ipfs.dweb.link", "{r}.github.io", "{r}.onrender.com", "{r}.replit.app", "{r}.framer.website",
           "form.jotform.com/{r}", "{r}.webflow.io", "{r}.square.site", "{r}.godaddysites.com"]
SHORT = ["bit.ly", "tinyurl.com", "t.ly", "rb.gy", "is.gd", "cutt.ly", "shorturl.at", "s.id"]
FREEMAIL = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "gmx.de", "libero.it", "proton.me", "aol.com",
            "icloud.com", "web.de", "orange.fr", "uol.com.br"]
SYLL = ["ka", "ro", "mi", "ten", "lo", "vax", "qui", "zen", "pra", "dor", "fel", "nu", "bri", "sto", "wex", "ja"]


def rword(n=3):
    return "".join(R.choice(SYLL) for _ in range(n))


def rtok(n=8):
    return "".join(R.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(n))


def person():
    return R.choice(FIRST), R.choice(LAST)


def auth(spf, dkim, dmarc, domain):
    return ("mx.{rcpt}; spf=%s smtp.mailfrom=%s; dkim=%s header.d=%s; dmarc=%s header.from=%s"
            % (spf, domain, dkim, domain, dmarc, domain))


# ---------------------------------------------------------------- phishing
# Each lure: language, brand, subjects, body paragraphs (alternatives),
# call-to-action labels, signature. {n} first name, {amt} amount,
# {d} a date-ish deadline, {id} a reference.
PHISH = [
    ("en", "Microsoft 365", ["Password expiry notice for {mail}", "Action required: mailbox storage full",
                             "Your Microsoft 365 sign-in was blocked"],
     ["Your password for {mail} expires today. Keep your current password to avoid losing access to Outlook and "
      "Teams.", "Your mailbox has reached 99% of its quota. Incoming messages are being held. Validate your account "
      "to release 14 pending messages.", "We blocked a sign-in attempt and paused mail delivery until you confirm "
      "your identity."], ["Keep current password", "Release messages", "Verify now"], "Microsoft 365 Admin Center"),
    ("en", "SharePoint", ["{n} shared \"Q4 Payroll Adjustments.xlsx\" with you", "Document shared: Signed_Agreement_{id}.pdf"],
     ["A file has been shared with you via SharePoint Online. This link works for {mail} only.",
      "You have received a secure document. Sign in with your work account to view."], ["Open", "View document"],
     "Sent via OneDrive for Business"),
    ("en", "Google Workspace", ["Security alert: new sign-in to your Google Account", "Your Google storage is full – photos will be deleted"],
     ["Someone just used your password to sign in from a Windows device in Lagos. If this wasn't you, secure your "
      "account now.", "Your storage plan has expired and your photos and videos will be removed on {d}. Update your "
      "payment method to keep them."], ["Check activity", "Upgrade storage"], "The Google Accounts team"),
    ("en", "Apple", ["Your Apple ID has been locked for security reasons", "Receipt from Apple: Final Cut Pro {amt}"],
     ["Your Apple ID was used to sign in to iCloud on an unknown device. For your protection it has been locked. "
      "Unlock it within 24 hours or it will be permanently disabled.", "You purchased Final Cut Pro for {amt}. If you "
      "did not authorise this purchase, cancel within 48 hours to receive a full refund."],
     ["Unlock Apple ID", "Cancel purchase"], "Apple Support"),
    ("en", "Chase", ["Important: unusual activity on your debit card", "Your online banking access has been suspended"],
     ["We declined a transaction of {amt} at an online retailer. Confirm whether you made this purchase to keep "
      "your card active.", "Due to incomplete customer information your access was suspended. Update your details "
      "to restore online banking."], ["Review transaction", "Restore access"], "Chase Fraud Prevention"),
    ("en", "DHL", ["Your parcel is on hold: unpaid customs fee", "DHL Express: delivery attempt failed"],
     ["Your shipment {id} could not be delivered because a customs fee of {amt} is outstanding. Pay within 48 "
      "hours or the parcel will be returned to sender.", "Our courier could not deliver your package today. "
      "Choose a new delivery slot and confirm your address."], ["Pay fee", "Reschedule delivery"], "DHL Express"),
    ("en", "USPS", ["USPS: Your package could not be delivered due to incomplete address"],
     ["The package arrived at the warehouse but cannot be delivered due to incomplete address information. Please "
      "confirm your address in the link within 12 hours."], ["Update address"], "The USPS Team"),
    ("en", "HMRC", ["HMRC: You are eligible for a tax refund of {amt}", "Final notice: outstanding self assessment"],
     ["After the annual calculation of your fiscal activity we have determined that you are eligible to receive a "
      "tax refund of {amt}. Submit the refund request and allow 3-5 days to process.", "Our records show an "
      "unpaid balance. Avoid penalties by settling today."], ["Claim refund", "Pay now"], "HM Revenue & Customs"),
    ("en", "IRS", ["IRS Notice CP-{id}: refund pending verification"],
     ["Your federal tax refund is pending because we could not verify your identity. Complete the form to receive "
      "your payment of {amt}."], ["Verify identity"], "Internal Revenue Service"),
    ("en", "Netflix", ["Your membership is on hold", "Update your payment details – Netflix"],
     ["We were unable to process your payment for the next billing cycle. Update your payment method to continue "
      "watching.", "Your account will be suspended on {d} unless you update your billing information."],
     ["Update payment", "Restart membership"], "The Netflix Team"),
    ("en", "Coinbase", ["Withdrawal request of 0.8421 BTC", "Coinbase: action required to keep your wallet"],
     ["A withdrawal of 0.8421 BTC to an external wallet was requested. If you did not request this, cancel it "
      "immediately and secure your account.", "New regulations require all users to re-verify. Wallets not "
      "verified by {d} will be frozen."], ["Cancel withdrawal", "Verify wallet"], "Coinbase Security"),
    ("en", "DocuSign", ["Please DocuSign: Payment_Remittance_{id}.pdf", "Complete with DocuSign: Employee Handbook 2026"],
     ["{sender} sent you a document to review and sign. REVIEW DOCUMENT. Do not share this email.",
      "All staff must acknowledge the updated handbook by {d}. Review and sign the attached policy."],
     ["Review document", "Sign now"], "DocuSign Electronic Signature Service"),
    ("en", "HR", ["Mandatory: 2026 salary adjustment letter", "Open enrollment ends today - confirm your benefits"],
     ["Human Resources has published your updated compensation letter. Sign in with your company credentials to "
      "read it before {d}.", "Your benefits selection is incomplete. Employees who do not confirm will lose "
      "coverage."], ["View letter", "Confirm benefits"], "HR Department"),
    ("en", "IT Helpdesk", ["Multi-factor authentication re-enrolment required", "Scan to keep your account active"],
     ["Our MFA provider is changing. Scan the QR code in the attached image with your phone camera to re-enrol "
      "before {d}.", "Your authenticator registration expires. Scan the code with your mobile device to avoid "
      "being locked out."], ["Re-enrol", "Scan code"], "IT Service Desk"),
    ("en", "Invoice", ["Overdue invoice {id} - final reminder", "Updated bank details for future payments"],
     ["Please find the overdue invoice attached. Kindly arrange payment of {amt} today; our accounts team has "
      "changed banks, so use the new account details in the attachment.", "Hi {n}, please note our bank details "
      "have changed. Could you update them in your system and confirm when the pending invoice has been paid?"],
     ["View invoice", "Open remittance"], "Accounts Receivable"),
    ("en", "CEO", ["Quick favour", "Are you at your desk?"],
     ["I'm in a meeting and can't talk. I need you to buy 5 Apple gift cards of $200 each for a client. Scratch "
      "the back and send me the codes. I'll reimburse you today.", "I need a wire of {amt} sent to a new supplier "
      "before noon. Keep this confidential until the deal is announced. Reply with your WhatsApp number."],
     [], "Sent from my iPhone"),
    ("en", "Prize", ["Congratulations! You've been selected for a loyalty reward", "Your Costco membership reward is waiting"],
     ["As a valued customer you have been chosen to receive a free Dyson V15. Just answer 3 questions and pay "
      "$1.95 shipping.", "Your points expire on {d}. Claim your exclusive gift before it's gone!"],
     ["Claim reward", "Get my gift"], "Customer Rewards"),
    ("en", "Sextortion", ["I know your password: {pw}", "Your device has been compromised"],
     ["I have access to your device and recorded you through your webcam while you visited adult sites. Send "
      "$1,450 in Bitcoin to the wallet below within 48 hours or I send the video to all your contacts.",
      "Don't try to reply. I installed a trojan on your computer months ago. Pay 0.02 BTC and I delete "
      "everything. Wallet: bc1q{tok}"], [], ""),
    ("en", "Job", ["Remote part-time role: $850/week, flexible hours", "Your application was shortlisted"],
     ["We found your profile online. We offer a simple remote job reviewing products, 1-2 hours a day, paid "
      "daily in USDT. Contact our recruiter on WhatsApp to start.", "Congratulations, you have been selected for "
      "the Data Entry position. To receive your equipment cheque, send your full name, address and bank details."],
     ["Apply now", "Start today"], "Talent Acquisition"),
    ("en", "Crypto", ["Your account balance: +$4,870 — withdraw now", "Airdrop: claim your 2,500 USDT"],
     ["Your automated trading account earned a profit this week. Log in to withdraw your funds before the offer "
      "ends.", "You are eligible for the community airdrop. Connect your wallet to claim before {d}."],
     ["Withdraw funds", "Connect wallet"], "Rewards Team"),
    ("en", "Amazon", ["Your Amazon account has been suspended", "Order #{id} cancelled – payment declined"],
     ["We noticed an unusual sign-in and locked your account. Confirm your billing information to unlock it.",
      "We could not charge your card for your recent order. Update your payment method within 24 hours."],
     ["Confirm information", "Update payment"], "Amazon.com"),
    ("en", "PayPal", ["You received a payment of {amt} – action required", "Account limited: confirm your identity"],
     ["A payment is waiting for you but your account must be upgraded to receive it. Complete verification to "
      "release the funds.", "We've noticed some unusual activity and temporarily limited your account."],
     ["Accept payment", "Resolve now"], "PayPal"),
    ("en", "Voicemail", ["New voicemail from +1 (415) 55{d2}", "Missed call - audio message 00:47"],
     ["You have a new voice message. Listen to the message in the attached file.",
      "Caller left a 47-second message. Open the secure voice portal to play it."], ["Play message"], "Voice Mail System"),
    ("en", "Meta", ["Your page will be disabled: copyright violation", "Meta verified badge approval"],
     ["Your Facebook page has been reported for intellectual property infringement. If you think this is a "
      "mistake, appeal within 24 hours or your page will be permanently deleted.", "Your page has been selected "
      "for the blue verification badge. Confirm your login details to complete."], ["Submit appeal", "Get verified"],
     "Meta Business Support"),
    ("pt", "Banco", ["Sua conta foi bloqueada temporariamente", "Atualização cadastral obrigatória"],
     ["Identificamos uma tentativa de acesso suspeita. Para sua segurança, sua conta foi bloqueada. Regularize "
      "agora para evitar o cancelamento do cartão.", "Seu cadastro está desatualizado. Atualize seus dados até "
      "{d} para continuar utilizando o aplicativo e o Pix."], ["Regularizar agora", "Atualizar dados"],
     "Central de Segurança"),
    ("pt", "Correios", ["Sua encomenda está retida na alfândega", "CTT: entrega pendente – taxa por pagar"],
     ["Sua encomenda {id} aguarda o pagamento da taxa de importação de R$ 39,90. Pague em até 2 dias para evitar "
      "a devolução.", "A sua encomenda não pôde ser entregue. Pague a taxa de 1,99 € para reagendar a entrega."],
     ["Pagar taxa", "Reagendar"], "Correios"),
    ("pt", "Receita", ["Restituição do Imposto de Renda disponível", "Pendência no seu CPF – regularize"],
     ["Você possui restituição de {amt} disponível para resgate. Confirme seus dados bancários para receber.",
      "Foi identificada uma pendência no seu CPF. Evite multa e bloqueio regularizando até {d}."],
     ["Consultar restituição", "Regularizar CPF"], "Receita Federal"),
    ("pt", "Pontos", ["Seus pontos expiram hoje!", "Você ganhou um prêmio exclusivo"],
     ["Você tem 14.520 pontos que vencem hoje. Troque agora por produtos ou dinheiro.",
      "Parabéns! Você foi sorteado e ganhou um kit exclusivo. Pague apenas o frete para receber."],
     ["Resgatar pontos", "Receber prêmio"], "Programa de Fidelidade"),
    ("es", "Banco", ["Aviso: hemos bloqueado su tarjeta", "Verificación de seguridad obligatoria"],
     ["Hemos detectado un cargo inusual de {amt}. Su tarjeta ha sido bloqueada de forma preventiva. Verifique su "
      "identidad para desbloquearla.", "Debido a la nueva normativa europea es obligatorio actualizar sus datos. "
      "De lo contrario su cuenta será suspendida."], ["Verificar ahora", "Actualizar datos"], "Servicio de Seguridad"),
    ("es", "Agencia Tributaria", ["Tiene un reembolso pendiente de {amt}", "Notificación: sanción pendiente"],
     ["Tras revisar su declaración, tiene derecho a un reembolso. Complete el formulario para recibir el importe.",
      "Tiene una notificación pendiente. Descargue el documento adjunto para evitar el recargo."],
     ["Solicitar reembolso", "Ver notificación"], "Agencia Tributaria"),
    ("es", "Correos", ["Su paquete está en espera", "Envío retenido: confirme el pago"],
     ["Su envío no se ha podido entregar porque faltan gastos de gestión de 1,79 €. Pague para recibirlo.",
      "Su paquete está retenido en nuestro centro logístico. Confirme sus datos en un plazo de 48 horas."],
     ["Pagar ahora", "Confirmar envío"], "Correos"),
    ("es", "Empleo", ["Oferta de trabajo desde casa: 300 € al día", "Seleccionado para el puesto de asistente"],
     ["Buscamos personas para tareas sencillas en línea. Sin experiencia. Pago diario. Escríbanos por WhatsApp.",
      "Ha sido seleccionado. Envíe su DNI y número de cuenta para preparar el contrato."], ["Empezar"], "Recursos Humanos"),
    ("de", "Sparkasse", ["Ihr Konto wurde vorübergehend eingeschränkt", "Wichtig: pushTAN-Verfahren läuft ab"],
     ["Aufgrund verdächtiger Aktivitäten haben wir Ihr Onlinebanking eingeschränkt. Bestätigen Sie Ihre Daten, "
      "um den Zugang wiederherzustellen.", "Ihr pushTAN-Verfahren muss bis {d} aktualisiert werden, sonst wird "
      "Ihr Zugang gesperrt."], ["Jetzt bestätigen", "Aktualisieren"], "Ihre Sparkasse"),
    ("de", "DHL", ["Ihre Sendung kann nicht zugestellt werden", "Zollgebühren offen für Sendung {id}"],
     ["Ihr Paket liegt in unserem Verteilzentrum. Bitte bestätigen Sie Ihre Adresse und zahlen Sie 2,99 € "
      "Versandkosten.", "Für Ihre Sendung fallen Einfuhrabgaben an. Ohne Zahlung wird das Paket zurückgesandt."],
     ["Sendung verfolgen", "Gebühr zahlen"], "DHL Paket"),
    ("de", "Microsoft", ["Ihr Postfach wird deaktiviert", "Passwort läuft heute ab"],
     ["Ihr E-Mail-Konto {mail} wird heute deaktiviert, weil es nicht verifiziert wurde. Klicken Sie unten, um "
      "es zu behalten.", "Das Kennwort für Ihr Konto läuft ab. Behalten Sie Ihr aktuelles Kennwort."],
     ["Konto behalten", "Kennwort behalten"], "IT-Abteilung"),
    ("de", "Finanzamt", ["Steuererstattung: {amt} stehen für Sie bereit"],
     ["Nach Prüfung Ihrer Steuererklärung erhalten Sie eine Erstattung. Füllen Sie das Formular aus, um die "
      "Auszahlung zu beantragen."], ["Erstattung beantragen"], "Bundeszentralamt für Steuern"),
    ("fr", "Ameli", ["Votre carte Vitale doit être renouvelée", "Remboursement en attente : {amt}"],
     ["Votre carte Vitale arrive à expiration. Commandez votre nouvelle carte avant le {d} pour éviter toute "
      "interruption de vos remboursements.", "Un remboursement est en attente. Confirmez vos coordonnées "
      "bancaires pour le recevoir."], ["Renouveler ma carte", "Recevoir le remboursement"], "Assurance Maladie"),
    ("fr", "Colissimo", ["Votre colis est en attente de livraison", "Frais de douane à régler"],
     ["Votre colis n'a pas pu être livré. Des frais de 1,99 € restent à payer pour reprogrammer la livraison.",
      "Votre colis {id} est bloqué au centre de tri. Réglez les frais avant 48 h."], ["Suivre mon colis"], "La Poste"),
    ("fr", "Impots", ["Avis de remboursement", "Dernier rappel avant majoration"],
     ["Vous êtes éligible à un remboursement de {amt}. Veuillez remplir le formulaire en ligne.",
      "Un solde reste impayé. Régularisez votre situation pour éviter une majoration de 10 %."],
     ["Accéder au formulaire", "Payer"], "Direction générale des Finances publiques"),
    ("fr", "Banque", ["Nouvelle authentification requise", "Opération suspecte sur votre compte"],
     ["Suite à la mise à jour de nos systèmes de sécurité, veuillez confirmer votre identité.",
      "Un virement de {amt} est en cours vers un compte inconnu. Si vous n'êtes pas à l'origine, annulez-le."],
     ["Confirmer", "Annuler le virement"], "Service client"),
    ("nl", "ING", ["Uw bankpas verloopt binnenkort", "Verificatie van uw gegevens vereist"],
     ["Uw bankpas verloopt op {d}. Vraag een nieuwe pas aan via de onderstaande link.",
      "Wij hebben uw gegevens niet kunnen verifiëren. Zonder verificatie wordt uw rekening geblokkeerd."],
     ["Nieuwe pas aanvragen", "Verifiëren"], "Klantenservice"),
    ("nl", "Belastingdienst", ["U heeft recht op een teruggave", "Openstaande aanslag: betaal vandaag"],
     ["Na controle blijkt dat u recht heeft op een teruggave van {amt}. Vraag deze aan via DigiD.",
      "Er staat een bedrag open. Betaal binnen 2 dagen om een aanmaning te voorkomen."],
     ["Teruggave aanvragen", "Nu betalen"], "Belastingdienst"),
    ("nl", "PostNL", ["Uw pakket wacht op betaling", "Bezorging mislukt"],
     ["Er moet nog 1,95 euro invoerkosten worden betaald voordat wij uw pakket kunnen bezorgen.",
      "Wij konden uw pakket niet bezorgen. Kies een nieuw moment."], ["Betalen", "Nieuw moment kiezen"], "PostNL"),
    ("it", "Poste", ["Il tuo conto BancoPosta è stato sospeso", "Verifica obbligatoria dei dati"],
     ["Abbiamo rilevato un accesso non autorizzato. Per riattivare il conto conferma i tuoi dati.",
      "Gentile cliente, la tua carta sarà bloccata se non aggiorni i dati entro {d}."],
     ["Riattiva", "Aggiorna"], "Poste Italiane"),
    ("it", "Agenzia Entrate", ["Rimborso fiscale disponibile", "Avviso di accertamento"],
     ["Risulta un rimborso a tuo favore di {amt}. Compila il modulo per riceverlo.",
      "È stato emesso un avviso a tuo nome. Scarica il documento allegato per i dettagli."],
     ["Richiedi rimborso", "Scarica avviso"], "Agenzia delle Entrate"),
    ("it", "Lavoro", ["Offerta di lavoro: 200 € al giorno da casa"],
     ["Cerchiamo collaboratori per attività semplici online. Nessuna esperienza richiesta, pagamento giornaliero. "
      "Contattaci su WhatsApp."], ["Candidati"], "Ufficio Personale"),
]

BRAND_DOMAIN = {"Microsoft 365": "microsoft", "SharePoint": "sharepoint", "Google Workspace": "google",
                "Apple": "apple", "Chase": "chase", "DHL": "dhl", "USPS": "usps", "HMRC": "hmrc", "IRS": "irs",
                "Netflix": "netflix", "Coinbase": "coinbase", "DocuSign": "docusign", "Amazon": "amazon",
                "PayPal": "paypal", "Meta": "meta", "Correios": "correios", "Receita": "receita",
                "Agencia Tributaria": "agenciatributaria", "Correos": "correos", "Sparkasse": "sparkasse",
                "Microsoft": "microsoft", "Finanzamt": "bzst", "Ameli": "ameli", "Colissimo": "colissimo",
                "Impots": "impots", "ING": "ing", "Belastingdienst": "belastingdienst", "PostNL": "postnl",
                "Poste": "poste", "Agenzia Entrate": "agenziaentrate"}

GREET = {"en": ["Dear customer,", "Hello {n},", "Dear user,", "Hi,", "Dear {mail},", ""],
         "pt": ["Prezado cliente,", "Olá {n},", "Caro cliente,", ""],
         "es": ["Estimado cliente:", "Hola {n},", "Estimado usuario,", ""],
         "de": ["Sehr geehrter Kunde,", "Hallo {n},", "Sehr geehrte Damen und Herren,", ""],
         "fr": ["Cher client,", "Bonjour {n},", "Madame, Monsieur,", ""],
         "nl": ["Geachte klant,", "Beste {n},", ""],
         "it": ["Gentile cliente,", "Ciao {n},", ""]}
URGE = {"en": ["Failure to act within 24 hours will result in permanent closure.", "This link expires in 12 hours.",
               "Ignore this message and your account will be restricted.", "Thank you for your prompt attention."],
        "pt": ["O link expira em 24 horas.", "Caso não regularize, sua conta será encerrada."],
        "es": ["El enlace caduca en 24 horas.", "Si no lo hace, su cuenta será cancelada."],
        "de": ["Der Link ist 24 Stunden gültig.", "Andernfalls wird Ihr Konto dauerhaft gesperrt."],
        "fr": ["Ce lien expire dans 24 heures.", "Sans action de votre part, votre compte sera suspendu."],
        "nl": ["Deze link verloopt over 24 uur.", "Anders wordt uw rekening geblokkeerd."],
        "it": ["Il link scade tra 24 ore.", "In caso contrario il conto verrà chiuso."]}
HTML_ATTACH = {"en": "Please open the attached document to continue.", "pt": "Abra o documento em anexo.",
               "es": "Abra el documento adjunto.", "de": "Öffnen Sie das angehängte Dokument.",
               "fr": "Ouvrez le document joint.", "nl": "Open het bijgevoegde document.",
               "it": "Apri il documento allegato."}
# Look-alike letters: Cyrillic and Greek forms of Latin letters.
CONFUSE = {"a": "\u0430", "o": "\u043e", "e": "\u0435", "i": "\u0456", "c": "\u0441", "p": "\u0440"}


def lookalike(name):
    for k, v in CONFUSE.items():
        if k in name:
            return name.replace(k, v, 1)
    return name


def phish_sender(brand, base):
    """Returns display name, address, auth result and domain for one trick."""
    k = R.randrange(8)
    disp = brand
    if k == 0:  # brand in display name, unrelated (often compromised) domain
        dom = R.choice(ORGS)
        addr = "%s.%s@%s" % (R.choice(FIRST).lower(), R.choice(LAST).lower().replace(" ", ""), dom)
        return disp, addr, auth("pass", "pass", "none", dom), dom
    if k == 1:  # look-alike registered domain
        dom = R.choice(["%s-secure-%s.com", "%s-support%s.net", "%s%s-verify.com", "my%s-%s.info"]) % (base, R.choice(["id", "help", "login", "center"]))
        dom = dom.replace("o", "0", 1) if R.random() < 0.3 else dom
        return disp, "no-reply@" + dom, auth("pass", "pass", "pass", dom), dom
    if k == 2:  # free mail
        dom = R.choice(FREEMAIL)
        addr = "%s%s%d@%s" % (base, R.choice(["support", "service", ".team", "info"]), R.randrange(10, 99), dom)
        return disp, addr, auth("pass", "pass", "pass", dom), dom
    if k == 3:  # app platform / bulk sender tenant
        dom = R.choice(["%s.onmicrosoft.com" % rtok(10), "%s.firebaseapp.com" % rword(),
                        "bounce.%s.sendgrid.net" % rtok(6), "%s.my.salesforce.com" % rword()])
        return disp, "noreply@" + dom, auth("pass", "pass", "none", dom), dom
    if k == 4:  # random subdomain, cheap TLD
        dom = "%s.%s.%s" % (rtok(7), rword(), R.choice(RAND_TLD))
        return disp, "%s@%s" % (rtok(6), dom), auth("softfail", "none", "none", dom), dom
    if k == 5:  # look-alike letters in display name
        dom = "%s.%s" % (rword(), R.choice(RAND_TLD + ["com", "net"]))
        return lookalike(disp), "notice@" + dom, auth("pass", "none", "none", dom), dom
    if k == 6:  # spoofed brand domain that fails authentication
        dom = base + R.choice([".com", ".de", ".com.br", ".es", ".fr", ".nl", ".it"])
        return disp, "security@" + dom, auth("fail", "none", "fail", dom), dom
    dom = "%s-%s.%s" % (base, rword(2), R.choice(RAND_TLD))  # brand plus random word
    return disp + " " + R.choice(["Service", "Notice", "Team", "Alert"]), "info@" + dom, auth("none", "none", "none", dom), dom


def phish_link(base):
    k = R.randrange(7)
    if k == 0:
        return "https://" + R.choice(HOSTING).format(r=rword() + str(R.randrange(10, 999)), r2=rtok(5)) + "/" + rtok(6)
    if k == 1:
        return "https://%s/%s" % (R.choice(SHORT), rtok(7))
    if k == 2:
        return "https://%s.%s.%s/%s/login" % (base, rtok(6), R.choice(RAND_TLD), rtok(4))
    if k == 3:
        return "http://%d.%d.%d.%d/%s/" % (R.randrange(23, 220), R.randrange(256), R.randrange(256), R.randrange(1, 255), base)
    if k == 4:
        return "https://www.google.com/url?q=https://%s-%s.%s/%s" % (base, rword(2), R.choice(RAND_TLD), rtok(5))
    if k == 5:
        return "https://%s-account-%s.com/verify?id=%s" % (base, R.choice(["update", "review", "secure"]), rtok(12))
    return "https://%s.%s/%s?u=%s" % (rword(), R.choice(RAND_TLD), rword(2), rtok(10))


def fill(s, v):
    for k, x in v.items():
        s = s.replace("{" + k + "}", x)
    return s


def build(kind, idx, frm_name, frm_addr, ar, subject, text, html, rcpt, attach=(), headers=(), day=0):
    m = EmailMessage()
    dom = frm_addr.split("@")[-1]
    when = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc) + timedelta(days=day, minutes=idx * 37)
    m["Return-Path"] = "<%s>" % frm_addr
    m["Received"] = "from %s ([198.51.100.%d]) by mx.%s with ESMTPS; %s" % (
        "mail." + dom, R.randrange(1, 254), rcpt.split("@")[1], format_datetime(when))
    m["Authentication-Results"] = ar.replace("{rcpt}", rcpt.split("@")[1])
    m["From"] = '"%s" <%s>' % (frm_name, frm_addr) if frm_name else frm_addr
    m["To"] = rcpt
    m["Subject"] = subject
    m["Date"] = format_datetime(when)
    m["Message-ID"] = "<%s@%s>" % (hashlib.sha1(("%s%d" % (kind, idx)).encode()).hexdigest()[:20], dom)
    for k, v in headers:
        m[k] = v
    if text and html:
        m.set_content(text)
        m.add_alternative(html, subtype="html")
    elif html:
        m.set_content(html, subtype="html")
    else:
        m.set_content(text)
    for name, ctype, data in attach:
        mt, st = ctype.split("/")
        if isinstance(data, str):
            m.add_attachment(data, subtype=st, filename=name)
        else:
            m.add_attachment(data, maintype=mt, subtype=st, filename=name)
    with open(os.path.join(OUT, kind, "%03d.eml" % idx), "wb") as f:
        f.write(bytes(m))


def recipient():
    f, l = person()
    return f, "%s.%s@%s" % (f.lower(), l.lower().replace(" ", ""), R.choice(ORGS[:7] + ["example-corp.com"]))


def make_phish(n):
    for i in range(1, n + 1):
        lang, brand, subjects, bodies, ctas, sig = PHISH[(i - 1) % len(PHISH)]
        base = BRAND_DOMAIN.get(brand, rword(2))
        name, rcpt = recipient()
        v = {"n": name, "mail": rcpt, "amt": R.choice(["$%d.%02d" % (R.randrange(20, 2999), R.randrange(100)),
                                                        "€%d,%02d" % (R.randrange(20, 2999), R.randrange(100)),
                                                        "£%d.%02d" % (R.randrange(20, 999), R.randrange(100))]),
             "d": (datetime(2026, 3, 2) + timedelta(days=R.randrange(1, 9))).strftime("%d/%m/%Y"),
             "id": "%s%d" % (rtok(2).upper(), R.randrange(100000, 9999999)), "d2": "%05d" % R.randrange(99999),
             "pw": rtok(9), "tok": rtok(30), "sender": " ".join(person())}
        disp, addr, ar, _ = phish_sender(brand if brand not in ("CEO", "Sextortion", "Invoice") else "", base)
        if brand == "CEO":
            f, l = person()
            disp, addr = "%s %s" % (f, l), "%s.%s.ceo@%s" % (f.lower(), l.lower().replace(" ", ""), R.choice(FREEMAIL))
            ar = auth("pass", "pass", "pass", addr.split("@")[1])
        elif not disp:
            disp = " ".join(person()) if brand == "Invoice" else ""
        subject = fill(R.choice(subjects), v)
        body = fill(R.choice(bodies), v)
        greet = fill(R.choice(GREET[lang]), v)
        urge = R.choice(URGE[lang]) if R.random() < 0.6 and ctas else ""
        link = phish_link(base)
        cta = R.choice(ctas) if ctas else ""
        style = R.randrange(6) if ctas else 0
        attach, headers = [], []
        if R.random() < 0.3:
            headers.append(("Reply-To", "%s@%s" % (rtok(8), R.choice(FREEMAIL))))
        if style == 0:
            text = "\n\n".join(x for x in [greet, body, (cta + ": " + link) if cta else "", urge, sig] if x) + "\n"
            build("phish", i, disp, addr, ar, subject, text, None, rcpt, headers=headers)
        elif style in (1, 2):
            html = ("<html><body style='font-family:Segoe UI,Arial'><p>%s</p><p>%s</p>"
                    "<p><a href='%s' style='background:#0067b8;color:#fff;padding:10px 18px'>%s</a></p>"
                    "<p style='color:#777;font-size:11px'>%s</p><p>%s</p></body></html>") % (greet, body, link, cta, urge, sig)
            build("phish", i, disp, addr, ar, subject, None, html, rcpt, headers=headers)
        elif style == 3:  # image-only
            html = ("<html><body><a href='%s'><img src='cid:banner%s' width='600' height='420' alt='%s'></a>"
                    "</body></html>") % (link, rtok(4), cta)
            attach.append(("banner.png", "image/png", PNG))
            build("phish", i, disp, addr, ar, subject, None, html, rcpt, attach, headers)
        elif style == 4:  # HTML attachment
            page = ("<html><head><title>%s</title></head><body><form action='%s' method='post'><p>%s</p>"
                    "<input name='email' value='%s'><input type='password' name='pass'><button>%s</button>"
                    "</form></body></html>") % (brand, link, body, rcpt, cta)
            text = "\n\n".join(x for x in [greet, HTML_ATTACH[lang], sig] if x) + "\n"
            attach.append(("%s_%s.html" % (R.choice(["Document", "Invoice", "Secure_Message", "Fax"]), v["id"]),
                           "text/html", page))
            build("phish", i, disp, addr, ar, subject, text, None, rcpt, attach, headers)
        else:  # QR image lure
            text = "\n\n".join(x for x in [greet, body, {"en": "Scan the QR code below with your phone camera.",
                                                         "de": "Scannen Sie den QR-Code mit Ihrem Smartphone."}.get(
                lang, "Scan QR code."), urge, sig] if x) + "\n"
            attach.append(("qr_%s.png" % rtok(4), "image/png", PNG))
            build("phish", i, disp, addr, ar, subject, text, None, rcpt, attach, headers)


# ---------------------------------------------------------------- benign
# Each: language, sender display, sender domain, subjects, bodies, link
# path, list mail?. Senders authenticate (spf/dkim/dmarc pass) on their
# own domain; links point to that domain.
BENIGN = [
    ("en", "Microsoft account team", "accountprotection.microsoft.com", ["Microsoft account security code",
                                                                          "Your single-use code"],
     ["Please use the following security code for the Microsoft account {mask}. Security code: {code}. If you "
      "didn't request this code, you can safely ignore this email."], "", False),
    ("en", "Google", "accounts.google.com", ["Security alert", "Critical security alert for your linked Google Account"],
     ["A new sign-in on Mac. We noticed a new sign-in to your Google Account on a Mac device. If this was you, "
      "you don't need to do anything. If not, we'll help you secure your account. You can also see security "
      "activity at myaccount.google.com/notifications"], "/notifications", False),
    ("en", "GitHub", "github.com", ["[GitHub] Please reset your password", "[{repo}] Pull request #{num} merged"],
     ["We heard that you lost your GitHub password. Sorry about that! But don't worry, you can use the following "
      "link to reset your password. If you don't use this link within 3 hours, it will expire.",
      "Merged #{num} into main. {n2} approved these changes. View it on GitHub or unsubscribe from this thread."],
     "/password_reset/{tok}", False),
    ("en", "Amazon.com", "amazon.com", ["Your Amazon.com order #{oid} has shipped", "Your refund for order #{oid}"],
     ["Hi {n}, your package is on its way and will arrive {day}. Track your package in Your Orders. Items: "
      "USB-C charging cable (2-pack), kitchen scale.", "We've issued your refund of {amt}. You'll see it on your "
      "statement within 3-5 business days. Return reason: arrived damaged."], "/gp/your-account/order-details", False),
    ("en", "DocuSign via Harbor Legal", "docusign.net", ["Completed: Lease renewal 2026 - Unit 4B",
                                                        "Please DocuSign: Consulting Agreement - {org}"],
     ["All parties have completed Lease renewal 2026. View the completed document in your DocuSign account. "
      "Powered by DocuSign.", "{n2} sent you a document to review and sign. Please review the consulting "
      "agreement we discussed on Tuesday. Alternate signing method: visit docusign.com and enter the security code."],
     "/Signing/EmailStart.aspx?a={tok}", False),
    ("en", "Chase", "chase.com", ["Your statement is ready", "You made a payment of {amt}"],
     ["Your credit card statement for the account ending in {last4} is now available. Minimum payment due on "
      "{day}. Sign in to chase.com or the Chase Mobile app to view it. Please don't reply to this automated message.",
      "You scheduled a payment of {amt} to the card ending in {last4}. It will post on {day}."], "", False),
    ("en", "UPS", "ups.com", ["UPS Update: Package scheduled for delivery {day}"],
     ["Your package is on the way. Scheduled delivery: {day}, 10:30 AM - 2:30 PM. Shipped from: Outdoor Supply Co. "
      "Tracking number 1Z{tok}. Manage your delivery with UPS My Choice."], "/track?tracknum=1Z{tok}", False),
    ("en", "Netflix", "netflix.com", ["New sign-in to your account", "Your payment method was updated"],
     ["Hi {n}, someone signed in to your account from a TV in your area. If this was you or someone in your "
      "household, enjoy watching!", "This is a confirmation that your payment information was updated. If you "
      "made this change, no further action is needed."], "/account", False),
    ("en", "Slack", "slack.com", ["{n2} mentioned you in #product-launch", "Slack confirmation code: {code}"],
     ["{n2}: @{n} can you check the release notes before 3pm? Reply in Slack.", "Your confirmation code is "
      "below. Enter it in your open browser window and we'll help you get signed in."], "/app_redirect", False),
    ("en", "Zoom", "zoom.us", ["Cloud recording - Weekly sync is now available"],
     ["Hi {n}, your cloud recording is now available. Weekly sync, {day}. Share recording with viewers. Recording "
      "will be deleted after 30 days."], "/rec/share/{tok}", False),
    ("en", "Atlassian", "atlassian.net", ["[JIRA] ({proj}-{num}) Login page times out on Safari"],
     ["{n2} changed the status to In Review. Assignee: {n}. Priority: Medium. Add comment. Get Jira notifications "
      "on your mobile."], "/browse/{proj}-{num}", False),
    ("en", "People Team", "example-corp.com", ["Reminder: benefits open enrollment closes Friday",
                                               "Holiday schedule and office closure"],
     ["Hi all, a reminder that open enrollment closes this Friday. Log in to Workday from the intranet if you want "
      "to change your plan. No action is needed if you keep your current coverage. Questions? Ask in #people-help.",
      "The office will be closed from 24 December to 1 January. IT support will be on call for urgent issues. "
      "Enjoy the break!"], "", False),
    ("en", "IT Service Desk", "example-corp.com", ["Planned maintenance: VPN on Saturday",
                                                   "Your laptop replacement is ready for pickup"],
     ["VPN access will be unavailable on Saturday 06:00-09:00 UTC while we upgrade the gateways. No action "
      "needed. Ticket INC{num}.", "Hi {n}, your new laptop is ready. Bring your old device to the 3rd floor help "
      "desk; we'll move your files. Ticket RITM{num}."], "", False),
    ("en", "Google Calendar", "google.com", ["Invitation: Quarterly planning @ {day} 14:00 - 15:00 (CET)",
                                             "Updated invitation: 1:1 {n} / {n2}"],
     ["You have been invited to the following event. Quarterly planning. Join with Google Meet. Going? Yes - Maybe "
      "- No. Invitation from Google Calendar."], "/calendar/event?eid={tok}", False),
    ("en", "The Verge", "theverge.com", ["Installer: the best gadgets of the week", "Command Line: AI at the office"],
     ["This week: a new e-reader, a smarter thermostat and the laptop we keep recommending. Read in browser. You "
      "are receiving this because you subscribed. Unsubscribe or manage preferences."], "/newsletters", True),
    ("en", "Spotify", "spotify.com", ["Your Spotify Premium receipt", "Your 2026 Wrapped is here"],
     ["Thanks for being Premium. Amount: {amt}. Payment method: Visa ending {last4}. Manage your plan in your account "
      "page.", "Your top songs, artists and podcasts of the year are ready. Unsubscribe from these emails."],
     "/account/overview", True),
    ("en", "LinkedIn", "linkedin.com", ["{n2} has endorsed you", "You appeared in 14 searches this week"],
     ["{n2} endorsed you for Project Management. See your profile. Unsubscribe. Help. This email was intended for "
      "{n}."], "/comm/in/{tok}", True),
    ("en", "Stripe", "stripe.com", ["Your receipt from {org} #{num}", "Payout of {amt} is on its way"],
     ["Receipt from {org}. Amount paid {amt}. Date paid {day}. Payment method: Mastercard - {last4}. If you have "
      "any questions, contact us at billing.", "A payout to your bank account ending in {last4} is on the way and "
      "should arrive {day}."], "/receipts/{tok}", False),
    ("en", "Coinbase", "coinbase.com", ["You received 0.015 ETH", "Confirm your new device"],
     ["You just received 0.015 ETH from an external address. Your balance is available in the app.",
      "We noticed a sign-in from a new device. If this was you, confirm it in the Coinbase app. If not, contact "
      "support from the app."], "", False),
    ("en", "Apple", "email.apple.com", ["Your receipt from Apple.", "Your subscription is confirmed"],
     ["Apple Account: {mask}. iCloud+ with 200 GB (Monthly) {amt}. Billing and Payment. Report a Problem. Privacy "
      "Policy."], "/account/billing", False),
    ("en", "HMRC", "notifications.service.gov.uk", ["Your Self Assessment tax return has been received"],
     ["Thank you for sending your Self Assessment tax return. You can view your calculation in your personal tax "
      "account. We will never send a link to claim a refund by email."], "", False),
    ("en", "Airbnb", "airbnb.com", ["Reservation confirmed for Lisbon", "Reminder: your trip starts in 3 days"],
     ["{n}, pack your bags! Check-in {day} after 15:00. Your host {n2} will send the door code before arrival."],
     "/trips", False),
    ("pt", "Nubank", "nubank.com.br", ["Compra aprovada no seu cartão", "Sua fatura fechou"],
     ["Compra de {amt} aprovada em SUPERMERCADO DIA no cartão final {last4}. Se não reconhece, fale com a gente "
      "pelo app.", "Sua fatura de março fechou no valor de {amt}. Vencimento em {day}. Pague pelo app ou Pix."],
     "", False),
    ("pt", "Mercado Livre", "mercadolivre.com.br", ["Seu pacote chega amanhã", "Avalie sua compra"],
     ["Olá {n}, seu pacote com Fone de ouvido Bluetooth chega amanhã entre 9h e 18h.", "Conte como foi sua "
      "experiência com o produto. Sua opinião ajuda outros compradores."], "/minhas-compras", False),
    ("pt", "RH", "example-corp.com", ["Lembrete: envio do holerite", "Confraternização de fim de ano"],
     ["Olá pessoal, os holerites de novembro já estão disponíveis no portal interno. Dúvidas, falem com o RH.",
      "Nossa confraternização será dia {day} às 19h. Confirme presença com a Carla até sexta."], "", False),
    ("pt", "CTT", "ctt.pt", ["O seu objeto foi entregue", "Objeto em distribuição"],
     ["Informamos que o objeto RR{num}PT foi entregue hoje. Obrigado por utilizar os CTT."], "/feapl_2/app/open/objectSearch", False),
    ("es", "BBVA", "bbva.es", ["Has recibido una transferencia", "Tu recibo de luz se ha cargado"],
     ["Has recibido una transferencia de {amt} de {n2}. Concepto: cena viernes. Puedes ver el detalle en la app.",
      "Se ha cargado el recibo de {amt} en tu cuenta. Consulta tus movimientos en la app BBVA."], "", False),
    ("es", "Correos", "correos.es", ["Tu envío está en reparto"], ["Tu envío {num} saldrá hoy en reparto. Horario "
                                                                  "previsto entre las 10:00 y las 14:00."],
     "/ss/Satellite/site/aplicacion-seguimiento", False),
    ("es", "Google Calendar", "google.com", ["Invitación: Reunión de equipo @ {day} 10:00"],
     ["Has recibido una invitación a este evento. Reunión de equipo. Unirse con Google Meet. ¿Asistirás? Sí - Quizás "
      "- No."], "/calendar/event?eid={tok}", False),
    ("es", "El País", "elpais.com", ["Las claves del día", "Boletín de tecnología"],
     ["Las noticias más importantes de hoy, seleccionadas por la redacción. Leer en el navegador. Darse de baja."],
     "/newsletters", True),
    ("de", "Deutsche Bahn", "bahn.de", ["Ihre Buchungsbestätigung (Auftrag {num})", "Verspätung Ihrer Verbindung"],
     ["Vielen Dank für Ihre Buchung. ICE nach München am {day}. Ihr Ticket finden Sie in der DB Navigator App.",
      "Ihr Zug hat voraussichtlich 25 Minuten Verspätung. Fahrgastrechte können Sie online beantragen."],
     "/buchung", False),
    ("de", "DHL", "dhl.de", ["Ihre DHL Sendung kommt heute", "Ihr Paket liegt in der Packstation"],
     ["Hallo {n}, Ihre Sendung {num} wird heute zwischen 11:00 und 14:00 zugestellt.", "Ihr Paket liegt bereit "
      "in Packstation 142. Abholcode in der Post & DHL App."], "/de/privatkunden/pakete-empfangen/verfolgen.html", False),
    ("de", "Personalabteilung", "example-corp.com", ["Info: Neue Urlaubsregelung 2027", "Einladung Sommerfest"],
     ["Liebe Kolleginnen und Kollegen, ab Januar gilt die neue Urlaubsregelung. Details im Intranet. Bei Fragen "
      "meldet euch bei uns.", "Wir laden euch herzlich zum Sommerfest am {day} ein. Anmeldung bis Freitag."], "", False),
    ("de", "Sparkasse", "sparkasse.de", ["Neue Nachricht im Postfach", "Ihr Kontoauszug ist verfügbar"],
     ["Guten Tag {n}, in Ihrem elektronischen Postfach liegt eine neue Nachricht. Bitte melden Sie sich wie gewohnt "
      "in der App an. Wir fragen niemals per E-Mail nach PIN oder TAN."], "", False),
    ("fr", "SNCF Connect", "sncf-connect.com", ["Votre e-billet Paris - Lyon", "Modification de votre voyage"],
     ["Bonjour {n}, voici votre e-billet pour le {day}. Présentez le QR code à bord depuis l'application.",
      "Votre train est modifié. Consultez les nouveaux horaires dans l'application."], "/app/trips", False),
    ("fr", "Ressources humaines", "example-corp.com", ["Entretiens annuels : planning", "Tickets restaurant"],
     ["Bonjour à tous, les entretiens annuels auront lieu en janvier. Votre manager vous enverra une invitation.",
      "Les tickets restaurant de décembre sont crédités sur vos cartes."], "", False),
    ("fr", "Doctolib", "doctolib.fr", ["Rappel de votre rendez-vous", "Confirmation de rendez-vous"],
     ["Votre rendez-vous avec Dr {n2} est confirmé le {day} à 9h30. Pour annuler, utilisez l'application."],
     "/account/appointments", False),
    ("nl", "bol", "bol.com", ["Je bestelling is onderweg", "Bedankt voor je bestelling"],
     ["Hoi {n}, je bestelling {num} wordt morgen bezorgd door PostNL. Volg je pakket in de app."],
     "/nl/rnwy/account/bestellingen/overzicht", False),
    ("nl", "ING", "ing.nl", ["Nieuw bericht in Mijn ING", "Je jaaroverzicht staat klaar"],
     ["Beste {n}, er staat een nieuw bericht voor je klaar in Mijn ING. Log in via de app. Wij vragen nooit om "
      "je pincode."], "", False),
    ("nl", "HR", "example-corp.com", ["Herinnering: uren invullen", "Kerstpakket ophalen"],
     ["Hoi allemaal, vergeet niet je uren van deze week in te vullen vóór vrijdag 17:00.", "De kerstpakketten "
      "liggen bij de receptie."], "", False),
    ("it", "Trenitalia", "trenitalia.it", ["Conferma di acquisto biglietto", "Il tuo treno è in ritardo"],
     ["Gentile {n}, grazie per aver acquistato. Frecciarossa Roma - Milano del {day}. Codice PNR {code}."],
     "/it/area-riservata", False),
    ("it", "Amazon.it", "amazon.it", ["Il tuo ordine è stato spedito", "Rimborso effettuato"],
     ["Ciao {n}, il tuo pacco arriverà {day}. Traccia il pacco in I miei ordini."], "/gp/css/order-history", False),
    ("it", "Ufficio Personale", "example-corp.com", ["Cedolino di novembre disponibile", "Corso sicurezza obbligatorio"],
     ["Ciao a tutti, il cedolino è disponibile nel portale interno. Per domande scrivete all'ufficio personale.",
      "Il corso di sicurezza si terrà il {day} in sala riunioni."], "", False),
    ("en", "Colleague", "example-corp.com", ["Re: slides for Thursday", "lunch?", "Fwd: conference invoice"],
     ["Thanks, I added two slides on the budget. Can you review the numbers before Thursday?",
      "Anyone up for the new ramen place at 12:30?", "Forwarding the invoice for the conference tickets for your "
      "records. Finance already paid it."], "", False),
    ("en", "Shopify", "shopify.com", ["Order #{num} confirmed", "Your order is out for delivery"],
     ["Thank you for your purchase from {org}! We're getting your order ready to be shipped. View your order or "
      "visit our store."], "/orders/{tok}", False),
]


def make_benign(n):
    for i in range(1, n + 1):
        lang, disp, dom, subjects, bodies, path, listmail = BENIGN[(i - 1) % len(BENIGN)]
        name, rcpt = recipient()
        n2 = " ".join(person())
        v = {"n": name, "n2": n2, "mask": name[0].lower() + "**@" + rcpt.split("@")[1], "code": str(R.randrange(100000, 999999)),
             "repo": R.choice(["api", "web-app", "infra", "docs"]), "num": str(R.randrange(100, 99999)),
             "oid": "%03d-%07d-%07d" % (R.randrange(1000), R.randrange(10**7), R.randrange(10**7)),
             "day": (datetime(2026, 3, 2) + timedelta(days=R.randrange(1, 30))).strftime("%d %b"),
             "amt": R.choice(["$%d.%02d" % (R.randrange(3, 400), R.randrange(100)), "%d,%02d €" % (R.randrange(3, 400), R.randrange(100))]),
             "last4": str(R.randrange(1000, 9999)), "tok": rtok(12), "org": R.choice(["Northwind Labs", "Casa Verde",
                                                                                     "Fjordline Media", "Helix Analytics"]),
             "proj": R.choice(["WEB", "OPS", "PAY"])}
        subject = fill(R.choice(subjects), v)
        body = fill(R.choice(bodies), v)
        frm_dom = dom
        if disp == "Colleague" or dom == "example-corp.com":
            frm_dom = rcpt.split("@")[1]
            f, l = person()
            addr = "%s.%s@%s" % (f.lower(), l.lower().replace(" ", ""), frm_dom)
            disp = "%s %s" % (f, l) if disp == "Colleague" else disp
        else:
            addr = R.choice(["no-reply", "noreply", "notifications", "info", "hello"]) + "@" + dom
        ar = auth("pass", "pass", "pass", frm_dom)
        headers = []
        if listmail:
            headers.append(("List-Unsubscribe", "<https://%s/unsubscribe?u=%s>" % (dom, rtok(10))))
            headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        link = "https://%s%s" % (("www." if dom.count(".") == 1 else "") + dom, fill(path, v)) if path else ""
        greet = "" if "{n}" in body[:12] else R.choice(["", "Hi %s," % name, ""])
        if R.random() < 0.5 and link:
            html = ("<html><body><p>%s</p><p>%s</p><p><a href='%s'>%s</a></p><p style='color:#888'>%s</p>"
                    "</body></html>") % (greet, body, link, R.choice(["View", "Open", "Details", "Ver", "Öffnen",
                                                                      "Voir", "Bekijk", "Apri"]), disp)
            text = "\n\n".join(x for x in [greet, body, link, disp] if x) + "\n"
            build("benign", i, disp, addr, ar, subject, text, html, rcpt, headers=headers)
        else:
            text = "\n\n".join(x for x in [greet, body, link, "-- \n" + disp] if x) + "\n"
            attach = []
            if "invoice" in subject.lower() or "holerite" in body or R.random() < 0.05:
                attach.append(("invoice-%s.pdf" % v["num"], "application/pdf", b"%PDF-1.4\n% written sample\n%%EOF\n"))
            if "Invitation" in subject or "Invitación" in subject:
                attach.append(("invite.ics", "text/calendar",
                               "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:%s\nEND:VEVENT\nEND:VCALENDAR\n" % subject))
            build("benign", i, disp, addr, ar, subject, text, None, rcpt, attach, headers)


if __name__ == "__main__":
    for k in ("phish", "benign"):
        shutil.rmtree(os.path.join(OUT, k), ignore_errors=True)
        os.makedirs(os.path.join(OUT, k))
    make_phish(264)
    make_benign(264)
    sys.dont_write_bytecode = True
    import mailwrite  # the second batch, hand-written message by message (see its docstring)
    mailwrite.main()
