int X_two;
