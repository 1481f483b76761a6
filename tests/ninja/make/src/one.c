int X_one;
