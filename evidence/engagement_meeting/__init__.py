"""The pack for the annual engagement meeting with Ofsted."""
