"""The council's annual self-evaluation for Ofsted: drafted from the standing, edited, agreed and signed off."""
