print("spin: not yet implemented")
