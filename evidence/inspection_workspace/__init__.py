"""The call: a notified inspection or visit, and the workspace the council runs it from."""
