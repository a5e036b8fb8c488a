"""The action plan: actions, most made from a gap, tracked by owner and status to done."""
