package io.netsnap.notify;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * E-mail through Spring's {@link JavaMailSender}, which Spring Boot builds from {@code spring.mail.*} (host, port,
 * username, password, {@code properties.mail.smtp.starttls.enable}). Plain text: nothing in a report needs HTML,
 * and plain text cannot carry a tracking link or a script. The SMTP password stays in the sender: it is never
 * logged, and messages about a failed send name the server only.
 */
@Component
class EmailChannel implements Channel {

    private final NotifyProperties.Email email;
    private final JavaMailSender sender;

    @Autowired
    EmailChannel(NotifyProperties properties, ObjectProvider<JavaMailSender> sender) {
        this(properties.email(), sender.getIfAvailable());
    }

    EmailChannel(NotifyProperties.Email email, JavaMailSender sender) {
        this.email = email;
        this.sender = sender;
        if (email.enabled() && sender == null) {
            throw new IllegalStateException("netsnap.notify.email.enabled=true needs an SMTP server: set"
                    + " spring.mail.host (and spring.mail.port, username, password as the server wants)");
        }
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public boolean enabled() {
        return email.enabled();
    }

    @Override
    public String target() {
        return sender instanceof JavaMailSenderImpl smtp ? smtp.getHost() + ":" + smtp.getPort() : "smtp";
    }

    @Override
    public void send(Notice notice) {
        SimpleMailMessage mail = new SimpleMailMessage();
        mail.setFrom(email.from());
        mail.setTo(email.to().toArray(String[]::new));
        String prefix = email.subjectPrefix() == null || email.subjectPrefix().isBlank() ? ""
                : email.subjectPrefix().strip() + " ";
        mail.setSubject(prefix + notice.title());
        mail.setText(notice.plainText());
        try {
            sender.send(mail);
        } catch (MailException e) {
            // the most specific cause says what the server said (535, connection refused); it never holds the password
            Throwable cause = e.getMostSpecificCause();
            throw new NotifyException(target() + ": " + cause.getClass().getSimpleName() + ": "
                    + Text.oneLine(String.valueOf(cause.getMessage()), 160));
        }
    }
}
