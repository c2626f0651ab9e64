namespace Epsilon.Actors.Http;
