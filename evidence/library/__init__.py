"""The evidence library: evidence items, the judgement areas and criteria they speak to, the files behind them."""
