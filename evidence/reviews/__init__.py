"""Peer reviews and rehearsals: details, the team (from any council), invitations, key lines of enquiry, findings."""
