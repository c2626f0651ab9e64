namespace Epsilon.Actors;
