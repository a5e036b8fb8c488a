"""Rehearsing Ofsted's visits that are not inspections: a JTAI's case audits done jointly by
the agencies, and monitoring visits against the last inspection's recommendations."""
