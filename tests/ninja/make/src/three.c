int X_three;
